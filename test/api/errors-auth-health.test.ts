import { afterEach, describe, expect, it } from 'vitest';
import { RedisCommandBus } from '../../src/adapters/bus/redis-command-bus.js';
import {
  type Harness,
  type HarnessOptions,
  harness,
  heartbeat,
  marketBuy,
  NOW,
  seedMarket,
  TOKEN,
} from './harness.js';

let h: Harness;
afterEach(async () => h?.close());
const open = async (options: HarnessOptions = {}) => {
  h = await harness(options);
  return h;
};

describe('errors', () => {
  it('answers unknown routes with 404 route_not_found in the error body', async () => {
    await open();
    const r = await h.request({ method: 'DELETE', url: '/state/positions' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({
      error: {
        code: 'route_not_found',
        message: 'No such route.',
        details: { method: 'DELETE', url: '/state/positions' },
      },
    });
  });

  it('answers malformed JSON with 400, naming no command', async () => {
    await open();
    for (const payload of ['{"symbol":', '', 'null x']) {
      const r = await h.request({
        method: 'POST',
        url: '/commands/kill-switch',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(r.statusCode, payload).toBe(400);
      expect(r.json().error.code).toBe('malformed_json');
    }
    expect(await h.commandCount()).toBe(0);
  });

  it('answers a non-JSON body with 415 and an oversized one with 413', async () => {
    await open({ options: { bodyLimit: 1024 } });
    const text = await h.request({
      method: 'POST',
      url: '/commands/cancel',
      headers: { 'content-type': 'text/plain' },
      payload: 'hi',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('unsupported_media_type');
    const big = await h.request({
      method: 'POST',
      url: '/commands/cancel',
      payload: { order_id: 'x'.repeat(2000) },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
  });

  it('names every offending field on a validation failure (422)', async () => {
    await open();
    const r = await h.request({
      method: 'POST',
      url: '/commands/draft',
      payload: { ...marketBuy, qty: 10, color: 'red' },
    });
    expect(r.statusCode).toBe(422);
    const fields = r.json().error.details.fields;
    expect(fields).toEqual(
      expect.arrayContaining([
        { field: 'qty', in: 'body', message: 'must be string' },
        { field: 'color', in: 'body', message: 'is not a known field' },
      ]),
    );
    const header = await h.request({
      method: 'POST',
      url: '/commands/cancel',
      payload: { order_id: 'o' },
      headers: { 'idempotency-key': 'a b' },
    });
    expect(header.statusCode).toBe(422);
    expect(header.json().error.details.fields[0]).toMatchObject({ field: 'idempotency-key', in: 'headers' });
  });

  it('turns an unexpected failure into a logged 500 internal_error without details', async () => {
    await open();
    await h.db.destroy(); // the database goes away under the API
    const r = await h.request({ method: 'GET', url: '/state/positions' });
    expect(r.statusCode).toBe(500);
    expect(r.json().error).toEqual({ code: 'internal_error', message: expect.any(String), details: {} });
    h.db = (await import('../../src/adapters/storage/database.js')).createDatabase('sqlite::memory:');
  });
});

describe('auth', () => {
  it('with API_TOKEN, needs the bearer token on every route but /health', async () => {
    await open({ env: { API_TOKEN: TOKEN } });
    expect((await h.request({ method: 'GET', url: '/health' })).statusCode).not.toBe(401);
    for (const [method, url] of [
      ['GET', '/state/profile'],
      ['GET', '/docs/json'],
      ['POST', '/commands/kill-switch'],
      ['GET', '/nope'],
      ['GET', '/events'],
    ] as const) {
      const r = await h.request({
        method,
        url,
        payload: method === 'POST' ? { confirm_token: 'PAPER' } : undefined,
      });
      expect(r.statusCode, url).toBe(401);
      expect(r.json().error.code).toBe('unauthorized');
    }
    const wrong = await h.request({
      method: 'GET',
      url: '/state/profile',
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    expect(wrong.statusCode).toBe(401);
    const basic = await h.request({
      method: 'GET',
      url: '/state/profile',
      headers: { authorization: `Basic ${TOKEN}` },
    });
    expect(basic.statusCode).toBe(401);
    const ok = await h.request({
      method: 'GET',
      url: '/state/profile',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(await h.commandCount()).toBe(0);
  });

  it('adds no CORS headers and carries a request id on every answer', async () => {
    await open();
    const r = await h.request({
      method: 'GET',
      url: '/state/profile',
      headers: { origin: 'https://evil.example' },
    });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const preflight = await h.request({
      method: 'OPTIONS',
      url: '/commands/kill-switch',
      headers: { origin: 'https://evil.example' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('health and degradation', () => {
  it('is 200 with a fresh heartbeat and a connected stream', async () => {
    await open();
    await h.store.heartbeats.write(heartbeat({ at: NOW }));
    const r = await h.request({ method: 'GET', url: '/health' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      status: 'ok',
      reasons: [],
      checks: {
        database: { ok: true },
        bus: { ok: true, kind: 'embedded' },
        engine: { ok: true, heartbeat_age_ms: 0, stream_state: 'listening' },
      },
    });
  });

  it('is 503 with reasons for a stale heartbeat and a disconnected stream', async () => {
    await open();
    await h.store.heartbeats.write(heartbeat({ streamState: 'disconnected' }));
    await h.clock.advance(120_000);
    const r = await h.request({ method: 'GET', url: '/health' });
    expect(r.statusCode).toBe(503);
    expect(r.json().reasons).toEqual([
      'engine heartbeat is stale (120000 ms old)',
      'engine trade stream is disconnected',
    ]);
    expect(r.json().checks.engine.ok).toBe(false);
  });

  it('never shows database addresses or driver text on the open /health', async () => {
    const failing = new Error('password authentication failed for user "centaur" at 10.1.2.3:5432 (hunter2)');
    await open({
      wrapStore: (store) => ({
        ...store,
        tradingState: { ...store.tradingState, get: () => Promise.reject(failing) },
      }),
    });
    const r = await h.request({ method: 'GET', url: '/health' });
    expect(r.statusCode).toBe(503);
    expect(r.json().checks.database).toEqual({ ok: false, detail: 'error' });
    expect(r.json().reasons).toContain('database error (see the API log)');
    for (const leak of ['10.1.2.3', 'hunter2', 'centaur', 'password']) expect(r.body).not.toContain(leak);
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), { code: 'ECONNREFUSED' });
    await h.close();
    await open({
      wrapStore: (store) => ({
        ...store,
        tradingState: { ...store.tradingState, get: () => Promise.reject(refused) },
      }),
    });
    const down = await h.request({ method: 'GET', url: '/health' });
    expect(down.json().checks.database).toEqual({ ok: false, detail: 'unreachable' });
    expect(down.json().reasons).toEqual([
      'database unreachable',
      'engine state unknown while the database is unreachable',
    ]);
    expect(down.body).not.toContain('10.1.2.3');
    const state = await h.request({ method: 'GET', url: '/state/profile' });
    expect(state.statusCode).toBe(503);
    expect(state.json().error).toEqual({
      code: 'database_unavailable',
      message: 'The database cannot be reached right now; try again shortly.',
      details: {},
    });
  });

  it('with Redis down: reads keep working, commands are refused with 503, the kill switch is stored for the sweep', async () => {
    await open({
      env: { REDIS_URL: 'redis://127.0.0.1:1' },
      bus: () =>
        new RedisCommandBus({ url: 'redis://127.0.0.1:1', queueName: 'centaur-test', onError: () => {} }),
    });
    await seedMarket(h.store);
    const health = await h.request({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json().reasons).toContain('command bus (redis) unavailable');
    expect((await h.request({ method: 'GET', url: '/state/positions' })).statusCode).toBe(200);
    expect((await h.request({ method: 'GET', url: '/commands' })).statusCode).toBe(200);
    const draft = await h.request({ method: 'POST', url: '/commands/draft', payload: marketBuy });
    expect(draft.statusCode).toBe(201);
    const refused = [
      await h.request({ method: 'POST', url: '/commands/confirm', payload: { draft_id: draft.json().id } }),
      await h.request({ method: 'POST', url: '/commands/cancel', payload: { order_id: 'o-1' } }),
      await h.request({
        method: 'POST',
        url: '/commands/resume',
        payload: { confirm_token: 'paper', reason: 'drill over' },
      }),
    ];
    for (const r of refused) {
      expect(r.statusCode).toBe(503);
      expect(r.json().error).toMatchObject({ code: 'bus_unavailable', details: { bus: 'redis' } });
    }
    expect(await h.commandCount()).toBe(0);
    expect((await h.store.drafts.get('p1', draft.json().id))?.status).toBe('staged');
    // The kill switch always works: stored, and the engine's database sweep runs it without the bus.
    const kill = await h.request({
      method: 'POST',
      url: '/commands/kill-switch',
      payload: { confirm_token: 'PAPER' },
    });
    expect(kill.statusCode).toBe(202);
    expect(kill.json().warning).toContain('the command bus is unavailable');
    expect(kill.json().command).toMatchObject({ type: 'kill_switch', status: 'queued' });
    expect(await h.commandCount()).toBe(1);
  });
});
