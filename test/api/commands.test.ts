import { afterEach, describe, expect, it } from 'vitest';
import type { CommandBus } from '../../src/ports/command-bus.js';
import { makePosition } from '../storage/fixtures.js';
import {
  type Harness,
  type HarnessOptions,
  harness,
  heartbeat,
  marketBuy,
  PROFILE,
  seedMarket,
  TOKEN,
} from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

async function draft(body: object = marketBuy, headers: Record<string, string> = {}) {
  return h.request({ method: 'POST', url: '/commands/draft', payload: body, headers });
}

async function confirm(body: object, headers: Record<string, string> = {}) {
  return h.request({ method: 'POST', url: '/commands/confirm', payload: body, headers });
}

/** A harness over a market the risk engine admits orders in (see seedMarket). */
async function open(options: HarnessOptions = {}) {
  h = await harness(options);
  await seedMarket(h.store);
  return h;
}

describe('POST /commands/draft', () => {
  it('stages a draft with a preview from the cached quote and a passing verdict (201)', async () => {
    h = await harness();
    await seedMarket(h.store, { symbols: { AAPL: '200' }, equity: '100000', buyingPower: '50000' });
    await h.store.positions.replaceAll(
      PROFILE,
      [makePosition({ symbol: 'AAPL', qty: '5', currentPrice: '190' })],
      '2026-08-03T13:59:00Z',
    );
    const r = await draft();
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      status: 'staged',
      expires_at: '2026-08-03T14:01:00.000Z',
      intent: { symbol: 'AAPL', side: 'buy', qty: '10', type: 'market', time_in_force: 'day' },
      preview: {
        estimated_price: '200',
        estimated_notional: '2000.00',
        share_of_equity: '0.03',
        buying_power_after: '48000.00',
        resulting_position_qty: '15',
      },
      verdict: { allowed: true },
    });
    expect(r.json()).not.toHaveProperty('confirm_phrase');
    expect(r.json().content_hash).toMatch(/^[0-9a-f]{64}$/);
    const checks = r.json().verdict.checks as Array<{ check: string; passed: boolean }>;
    expect(checks.map((c) => c.check)).toEqual([
      'trading_state',
      'symbol_lists',
      'asset',
      'precision',
      'fractional_day_only',
      'market_hours',
      'price_known',
      'order_size',
      'position_size',
      'order_counts',
      'no_accidental_short',
      'price_collar',
      'daily_loss',
      'buying_power',
    ]);
    expect(checks.every((c) => c.passed)).toBe(true);
    expect(await h.commandCount()).toBe(0);
  });

  it('names the field for cross-field mistakes (422)', async () => {
    await open();
    const cases: Array<[object, string]> = [
      [{ ...marketBuy, notional: '100' }, 'qty'],
      [{ ...marketBuy, type: 'limit' }, 'limit_price'],
      [{ ...marketBuy, limit_price: '10' }, 'limit_price'],
      [{ ...marketBuy, type: 'stop_limit', stop_price: '5' }, 'limit_price'],
      [{ ...marketBuy, type: 'trailing_stop', trail_price: '1', trail_percent: '2' }, 'trail_price'],
      [{ ...marketBuy, qty: '0' }, 'qty'],
      [{ ...marketBuy, extended_hours: true }, 'extended_hours'],
      [{ ...marketBuy, qty: '1e5' }, 'qty'],
      [{ ...marketBuy, side: 'short' }, 'side'],
      [{ symbol: 'AAPL' }, 'side'],
    ];
    for (const [body, field] of cases) {
      const r = await draft(body);
      expect(r.statusCode, JSON.stringify(body)).toBe(422);
      expect(r.json().error.code).toBe('validation_failed');
      expect(r.json().error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(r.json().error.message).toContain(field);
    }
  });

  it('accepts each order type with exactly its prices', async () => {
    await open();
    const bodies = [
      { ...marketBuy, type: 'limit', limit_price: '101.25', extended_hours: true },
      { ...marketBuy, type: 'stop', stop_price: '105' },
      { ...marketBuy, type: 'stop_limit', stop_price: '105', limit_price: '104.5' },
      { ...marketBuy, type: 'trailing_stop', trail_percent: '2.5', time_in_force: 'gtc' },
      { symbol: 'msft', side: 'sell', type: 'market', time_in_force: 'day', notional: '500' },
    ];
    for (const body of bodies) expect((await draft(body)).statusCode, JSON.stringify(body)).toBe(201);
    expect((await draft(bodies[4])).json().intent).toMatchObject({ symbol: 'MSFT', notional: '500' });
  });

  it('denies every new order when trading is HALTED, and non-reducing ones when REDUCING', async () => {
    await open();
    await h.store.positions.replaceAll(
      PROFILE,
      [makePosition({ symbol: 'AAPL', qty: '10', currentPrice: '100' })],
      '2026-08-03T13:59:00Z',
    );
    const setState = (state: 'HALTED' | 'REDUCING') =>
      h.store.tradingState.set({
        profileId: PROFILE,
        state,
        reason: 't',
        changedBy: 'test',
        changedAt: '2026-08-03T13:00:00Z',
      });
    await setState('HALTED');
    const halted = (await draft({ ...marketBuy, side: 'sell', qty: '5' })).json();
    expect(halted).toMatchObject({ status: 'denied', verdict: { allowed: false } });
    expect(halted.verdict.checks[0]).toMatchObject({ code: 'TRADING_HALTED', passed: false });
    await setState('REDUCING');
    expect((await draft({ ...marketBuy, side: 'sell', qty: '5' })).json().verdict.allowed).toBe(true);
    expect(
      (await draft({ ...marketBuy, side: 'sell', notional: '500', qty: undefined })).json().verdict.allowed,
    ).toBe(true);
    const grows = (await draft()).json();
    expect(grows.verdict.checks[0]).toMatchObject({ code: 'TRADING_REDUCING', passed: false });
    const denied = await confirm({ draft_id: grows.id });
    expect(denied.statusCode).toBe(409);
    expect(denied.json().error.code).toBe('draft_denied');
    expect(await h.commandCount()).toBe(0);
  });

  it('returns the same draft for the same Idempotency-Key, and 409 for other content', async () => {
    await open();
    const first = await draft(marketBuy, { 'idempotency-key': 'k-1' });
    const again = await draft(marketBuy, { 'idempotency-key': 'k-1' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const other = await draft({ ...marketBuy, qty: '11' }, { 'idempotency-key': 'k-1' });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('idempotency_key_reused');
  });

  it('refuses a body naming a profile this deployment does not serve', async () => {
    await open();
    const r = await draft({ ...marketBuy, profile_id: 'other' });
    expect(r.statusCode).toBe(422);
    expect(r.json().error).toMatchObject({
      code: 'profile_not_served',
      details: { profile_id: 'other', served_profile_id: PROFILE },
    });
    expect((await draft({ ...marketBuy, profile_id: PROFILE })).statusCode).toBe(201);
  });
});

describe('POST /commands/confirm', () => {
  it('creates exactly one submit_order command that expires in 60 s, and publishes it', async () => {
    await open();
    const id = (await draft()).json().id;
    const r = await confirm({ draft_id: id });
    expect(r.statusCode).toBe(202);
    const command = r.json().command;
    expect(command).toMatchObject({
      type: 'submit_order',
      status: 'queued',
      expires_at: '2026-08-03T14:01:00.000Z',
    });
    expect(command.payload).toMatchObject({
      draftId: id,
      clientOrderId: `ctr-draft-${id}`,
      intent: { symbol: 'AAPL', qty: '10' },
    });
    expect(await h.busEntries()).toBe(1);
    const stored = await h.store.drafts.get(PROFILE, id);
    expect(stored).toMatchObject({ status: 'confirmed', commandId: command.id });
  });

  it('returns the same command to ten concurrent confirms of one draft: exactly one command', async () => {
    await open();
    const id = (await draft()).json().id;
    const answers = await Promise.all(Array.from({ length: 10 }, () => confirm({ draft_id: id })));
    const ids = new Set(answers.map((a) => a.json().command.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.statusCode === 202)).toHaveLength(1);
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(9);
    expect(await h.commandCount()).toBe(1);
    expect(await h.busEntries()).toBe(1);
  });

  it('answers 409 once the command has finished, unless the same Idempotency-Key is replayed', async () => {
    await open();
    const id = (await draft()).json().id;
    const command = (await confirm({ draft_id: id }, { 'idempotency-key': 'c-1' })).json().command;
    await h.store.commands.claim(PROFILE, command.id, '2026-08-03T14:00:01Z');
    await h.store.commands.finish(
      PROFILE,
      command.id,
      { status: 'succeeded', result: { orderId: 'x' } },
      '2026-08-03T14:00:02Z',
    );
    const again = await confirm({ draft_id: id });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'draft_already_executed',
      details: { command_id: command.id, status: 'succeeded' },
    });
    const replay = await confirm({ draft_id: id }, { 'idempotency-key': 'c-1' });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ replayed: true, command: { id: command.id, status: 'succeeded' } });
  });

  it('answers 410 for an expired draft and 404 for an unknown one', async () => {
    await open();
    const id = (await draft()).json().id;
    await h.clock.advance(60_000);
    const r = await confirm({ draft_id: id });
    expect(r.statusCode).toBe(410);
    expect(r.json().error.code).toBe('draft_expired');
    expect((await h.store.drafts.get(PROFILE, id))?.status).toBe('expired');
    expect((await confirm({ draft_id: id })).statusCode).toBe(410);
    const unknown = await confirm({ draft_id: 'nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('draft_not_found');
    expect(await h.commandCount()).toBe(0);
  });

  it('re-checks the verdict at confirm time: a draft staged before a halt is denied', async () => {
    await open();
    const id = (await draft()).json().id;
    await h.store.tradingState.set({
      profileId: PROFILE,
      state: 'HALTED',
      reason: 'k',
      changedBy: 'e',
      changedAt: '2026-08-03T14:00:00Z',
    });
    const r = await confirm({ draft_id: id });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.details.verdict.checks[0].code).toBe('TRADING_HALTED');
  });

  it('needs the typed confirmation phrase in live mode, and never sends it', async () => {
    await open({ env: { ALPACA_PAPER_TRADING: 'false', API_TOKEN: TOKEN } });
    const auth = { authorization: `Bearer ${TOKEN}` };
    await h.store.heartbeats.write(heartbeat({ environment: 'live' }));
    const staged = await draft(marketBuy, auth);
    expect(staged.statusCode).toBe(201);
    const d = staged.json();
    expect(d).not.toHaveProperty('confirm_phrase');
    expect(staged.body.toUpperCase()).not.toContain('BUY 10 AAPL');
    for (const phrase of [undefined, 'BUY 1 AAPL', 'yes']) {
      const r = await confirm(
        phrase === undefined ? { draft_id: d.id } : { draft_id: d.id, confirm_phrase: phrase },
        auth,
      );
      expect(r.statusCode).toBe(422);
      expect(r.json().error.code).toBe('confirm_phrase_invalid');
      expect(r.body.toUpperCase()).not.toContain('BUY 10 AAPL');
    }
    expect(await h.commandCount()).toBe(0);
    const ok = await confirm({ draft_id: d.id, confirm_phrase: '  buy 10   aapl ' }, auth);
    expect(ok.statusCode).toBe(202);
    const read = await h.request({ method: 'GET', url: `/commands/${ok.json().command.id}`, headers: auth });
    expect(read.body.toUpperCase()).not.toContain('BUY 10 AAPL');
  });

  it('refuses to start in live mode without API_TOKEN, naming the variable', async () => {
    await open(); // a paper API starts without a token
    await expect(harness({ env: { ALPACA_PAPER_TRADING: 'false' } })).rejects.toMatchObject({
      exitCode: 2,
      issues: [{ variable: 'API_TOKEN' }],
    });
  });

  it('refuses commands when the engine runs in another environment (409)', async () => {
    await open();
    await h.store.heartbeats.write(heartbeat({ environment: 'live' }));
    const id = (await draft()).json().id;
    const r = await confirm({ draft_id: id });
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toMatchObject({
      code: 'environment_mismatch',
      details: { api_environment: 'paper', engine_environment: 'live' },
    });
    const profile = (await h.request({ method: 'GET', url: '/state/profile' })).json();
    expect(profile).toMatchObject({
      environment: 'live',
      api_environment: 'paper',
      environment_match: false,
    });
    expect(await h.commandCount()).toBe(0);
  });

  it('records the command rejected and restages the draft when publishing fails', async () => {
    let fail = true;
    await open({
      bus: () =>
        ({
          publish: async () => {
            if (fail) throw new Error('broken pipe');
          },
          consume: () => ({ stop: async () => {} }),
          healthy: async () => true,
          close: async () => {},
        }) satisfies CommandBus,
    });
    const id = (await draft()).json().id;
    const r = await confirm({ draft_id: id });
    expect(r.statusCode).toBe(503);
    expect(r.json().error.code).toBe('bus_unavailable');
    const rejected = await h.store.commands.get(PROFILE, r.json().error.details.command_id);
    expect(rejected).toMatchObject({ status: 'rejected', error: { code: 'bus_unavailable' } });
    expect((await h.store.drafts.get(PROFILE, id))?.status).toBe('staged');
    fail = false;
    const retry = await confirm({ draft_id: id });
    expect(retry.statusCode).toBe(202);
    expect(retry.json().command.id).not.toBe(rejected?.id);
    expect((await h.store.commands.list(PROFILE, { status: 'queued' })).length).toBe(1);
  });
});

describe('POST /commands/kill-switch and /commands/cancel', () => {
  it('creates a kill_switch command with no expiry when the token names the environment', async () => {
    await open();
    const wrong = await h.request({
      method: 'POST',
      url: '/commands/kill-switch',
      payload: { confirm_token: 'LIVE' },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error).toMatchObject({
      code: 'confirm_token_invalid',
      details: { expected: 'PAPER' },
    });
    expect(await h.commandCount()).toBe(0);
    const r = await h.request({
      method: 'POST',
      url: '/commands/kill-switch',
      payload: { confirm_token: 'Paper', reason: 'drill' },
    });
    expect(r.statusCode).toBe(202);
    expect(r.json().command).toMatchObject({
      type: 'kill_switch',
      expires_at: null,
      payload: { reason: 'drill' },
    });
    expect(await h.busEntries()).toBe(1);
  });

  it('returns the same command for the same Idempotency-Key and 409 for a different request', async () => {
    await open();
    const headers = { 'idempotency-key': 'kill-1' };
    const first = await h.request({
      method: 'POST',
      url: '/commands/kill-switch',
      payload: { confirm_token: 'PAPER' },
      headers,
    });
    const again = await h.request({
      method: 'POST',
      url: '/commands/kill-switch',
      payload: { confirm_token: 'PAPER' },
      headers,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ replayed: true, command: { id: first.json().command.id } });
    const other = await h.request({
      method: 'POST',
      url: '/commands/cancel',
      payload: { order_id: 'o-1' },
      headers,
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    expect(await h.commandCount()).toBe(1);
    expect(await h.busEntries()).toBe(1);
  });

  it('creates an expiring cancel_order command', async () => {
    await open();
    const r = await h.request({ method: 'POST', url: '/commands/cancel', payload: { order_id: 'o-1' } });
    expect(r.statusCode).toBe(202);
    expect(r.json().command).toMatchObject({
      type: 'cancel_order',
      payload: { orderId: 'o-1' },
      expires_at: '2026-08-03T14:01:00.000Z',
    });
    const other = await h.request({
      method: 'POST',
      url: '/commands/cancel',
      payload: { order_id: 'o-1', profile_id: 'x' },
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('profile_not_served');
  });
});
