/**
 * Property-based fuzzing of every POST body: whatever arrives, the API never answers 5xx, and a
 * refused request (4xx) never creates a command nor a bus entry. Bodies mix near-valid shapes
 * (right field names, wrong values) with arbitrary JSON, raw strings and wrong content types.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h.close());

const junk = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('0', '-1', '1e3', '1.', '.5', 'NaN', '10', '187.25', '', ' 5', '99999999999999'),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
);

const draftBody = fc.record(
  {
    symbol: fc.oneof(junk, fc.constantFrom('AAPL', 'msft', 'BRK.B', '1ABC')),
    side: fc.oneof(junk, fc.constantFrom('buy', 'sell')),
    type: fc.oneof(junk, fc.constantFrom('market', 'limit', 'stop', 'stop_limit', 'trailing_stop')),
    time_in_force: fc.oneof(junk, fc.constantFrom('day', 'gtc', 'ioc')),
    qty: junk,
    notional: junk,
    limit_price: junk,
    stop_price: junk,
    trail_price: junk,
    trail_percent: junk,
    extended_hours: fc.oneof(junk, fc.boolean()),
    profile_id: fc.oneof(junk, fc.constantFrom('p1', 'p2')),
  },
  { requiredKeys: [] },
);

const confirmBody = fc.record(
  { draft_id: fc.oneof(junk, fc.uuid()), confirm_phrase: junk, profile_id: junk, extra: junk },
  { requiredKeys: [] },
);

const killBody = fc.record(
  {
    confirm_token: fc.oneof(junk, fc.constantFrom('LIVE', 'live', 'PAPERX', ' PAPE')),
    reason: junk,
    profile_id: fc.oneof(junk, fc.constantFrom('p2')),
  },
  { requiredKeys: [] },
);

const cancelBody = fc.record(
  { order_id: junk, profile_id: fc.oneof(junk, fc.constant('p2')), x: junk },
  { requiredKeys: [] },
);

const rawPayload = fc.oneof(
  fc.json().map((json) => ({ payload: json, contentType: 'application/json' })),
  fc.string().map((text) => ({ payload: text, contentType: 'application/json' })),
  fc.string().map((text) => ({ payload: text, contentType: 'text/plain' })),
  fc
    .anything()
    .map((value) => ({ payload: JSON.stringify(value) ?? 'undefined', contentType: 'application/json' })),
);

const headers = fc.option(fc.string({ maxLength: 250 }), { nil: undefined });

async function post(url: string, payload: string, contentType: string, key: string | undefined) {
  const r = await h.request({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': contentType, ...(key === undefined ? {} : { 'idempotency-key': key }) },
  });
  expect(r.statusCode, `${url} ${payload} -> ${r.body}`).toBeLessThan(500);
  expect(r.json()).toBeTypeOf('object');
  return r;
}

/** Runs a body generator against a route: no 5xx, and a 4xx never leaves a command behind. */
async function fuzz(url: string, bodies: fc.Arbitrary<unknown>, runs = 150) {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        bodies.map((b) => ({ payload: JSON.stringify(b), contentType: 'application/json' })),
        rawPayload,
      ),
      headers,
      async (body, key) => {
        const before = await h.commandCount();
        const entries = await h.busEntries();
        const r = await post(url, body.payload, body.contentType, key);
        if (r.statusCode >= 400) {
          expect(r.json().error.code).toBeTypeOf('string');
          expect(await h.commandCount()).toBe(before);
          expect(await h.busEntries()).toBe(entries);
        }
      },
    ),
    { numRuns: runs },
  );
}

describe('fuzzing every POST body', () => {
  it('POST /commands/draft: never 5xx, never a command', async () => {
    await fuzz('/commands/draft', draftBody, 300);
    expect(await h.commandCount()).toBe(0);
  });

  it('POST /commands/confirm: never 5xx, never a command from a refused request', async () => {
    await fuzz('/commands/confirm', confirmBody);
  });

  it('POST /commands/kill-switch: never 5xx, never a command from a refused request', async () => {
    await fuzz('/commands/kill-switch', killBody);
    expect(await h.commandCount()).toBe(0); // no generated token equals PAPER
  });

  it('POST /commands/cancel: never 5xx, never a command from a refused request', async () => {
    await fuzz('/commands/cancel', cancelBody);
  });
});
