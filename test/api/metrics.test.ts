import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, heartbeat, marketBuy, seedMarket } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

function sample(text: string, metric: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(metric));
  return line === undefined ? null : Number(line.split(' ').at(-1));
}

describe('GET /metrics', () => {
  it('exposes commands by type and status, draft denials by code, and the engine numbers from its heartbeat', async () => {
    h = await harness();
    await seedMarket(h.store);
    const draft = await h.request({ method: 'POST', url: '/commands/draft', payload: marketBuy });
    expect(draft.statusCode).toBe(201);
    await h.request({ method: 'POST', url: '/commands/confirm', payload: { draft_id: draft.json().id } });
    const denied = await h.request({
      method: 'POST',
      url: '/commands/draft',
      payload: { ...marketBuy, qty: '100000' },
    });
    expect(denied.json().verdict.allowed).toBe(false);
    await h.store.heartbeats.write(
      heartbeat({
        lagMs: 7,
        detail: {
          reconnects: 3,
          eventsPersisted: 120,
          metrics: {
            brokerRestCalls: 42,
            brokerRateLimited: 2,
            syncDurationMsSum: 900,
            syncCount: 3,
          },
        },
      }),
    );
    const res = await h.request({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(sample(text, 'centaur_commands{type="submit_order",status="queued",profile="p1"}')).toBe(1);
    expect(sample(text, 'centaur_api_risk_denials_total{code="ORDER_QTY_LIMIT",profile="p1"}')).toBe(1);
    expect(sample(text, 'centaur_engine_stream_reconnects_total{profile="p1"}')).toBe(3);
    expect(sample(text, 'centaur_engine_event_lag_ms{profile="p1"}')).toBe(7);
    expect(sample(text, 'centaur_broker_rest_calls_total{profile="p1"}')).toBe(42);
    expect(sample(text, 'centaur_broker_rate_limited_total{profile="p1"}')).toBe(2);
    expect(sample(text, 'centaur_engine_sync_duration_ms_sum{profile="p1"}')).toBe(900);
    expect(sample(text, 'centaur_engine_sync_total{profile="p1"}')).toBe(3);
  });

  it('reads kill switch durations and engine rejections from the command log', async () => {
    h = await harness();
    await seedMarket(h.store);
    const kill = await h.request({
      method: 'POST',
      url: '/commands/kill-switch',
      payload: { confirm_token: 'PAPER' },
    });
    const killId = kill.json().command.id;
    await h.store.commands.claim('p1', killId, '2026-08-03T14:00:01Z');
    await h.store.commands.finish(
      'p1',
      killId,
      { status: 'succeeded', result: { flat: true, duration_ms: 1234 } },
      '2026-08-03T14:00:02Z',
    );
    const draft = await h.request({ method: 'POST', url: '/commands/draft', payload: marketBuy });
    const confirm = await h.request({
      method: 'POST',
      url: '/commands/confirm',
      payload: { draft_id: draft.json().id },
    });
    const orderId = confirm.json().command.id;
    await h.store.commands.claim('p1', orderId, '2026-08-03T14:00:03Z');
    await h.store.commands.finish(
      'p1',
      orderId,
      { status: 'rejected', error: { code: 'PRICE_COLLAR,ORDER_RATE_LIMIT', message: 'denied' } },
      '2026-08-03T14:00:04Z',
    );
    const text = (await h.request({ method: 'GET', url: '/metrics' })).body;
    expect(sample(text, 'centaur_kill_switch_duration_ms_last{profile="p1"}')).toBe(1234);
    expect(sample(text, 'centaur_engine_order_rejections{code="PRICE_COLLAR",profile="p1"}')).toBe(1);
    expect(sample(text, 'centaur_engine_order_rejections{code="ORDER_RATE_LIMIT",profile="p1"}')).toBe(1);
  });

  it('needs the token when the API has one', async () => {
    h = await harness({ env: { API_TOKEN: 'test-token-0123456789abcdef' } });
    expect(
      (await h.request({ method: 'GET', url: '/metrics', headers: { authorization: '' } })).statusCode,
    ).toBe(401);
  });
});
