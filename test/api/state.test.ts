import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFill, makeOrder, makePosition, makeSnapshot } from '../storage/fixtures.js';
import { type Harness, harness, heartbeat, PROFILE } from './harness.js';

describe('state routes', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(async () => h.close());

  it('reports the profile, the environment the engine reports, and the trading state', async () => {
    await h.store.heartbeats.write(heartbeat({ at: '2026-08-03T13:59:58.000Z' }));
    await h.store.tradingState.set({
      profileId: PROFILE,
      state: 'HALTED',
      reason: 'kill switch',
      changedBy: 'engine',
      changedAt: '2026-08-03T13:00:00.000Z',
    });
    const r = await h.request({ method: 'GET', url: '/state/profile' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      profile_id: PROFILE,
      environment: 'paper',
      api_environment: 'paper',
      environment_match: true,
      engine: { stream_state: 'listening', heartbeat_age_ms: 2000, holder: 'engine-1' },
      trading_state: { state: 'HALTED', reason: 'kill switch', changed_by: 'engine' },
    });
  });

  it('serves positions with their as-of time and provenance', async () => {
    await h.store.positions.replaceAll(
      PROFILE,
      [makePosition(), makePosition({ symbol: 'MSFT', qty: '-3', side: 'short' })],
      '2026-08-03T13:30:00Z',
    );
    const confirmed = (await h.request({ method: 'GET', url: '/state/positions' })).json();
    expect(confirmed.provenance).toBe('confirmed');
    expect(confirmed.as_of).toBe('2026-08-03T13:30:00Z');
    expect(confirmed.positions.map((p: { symbol: string }) => p.symbol).sort()).toEqual(['AAPL', 'MSFT']);
    expect(confirmed.positions[0]).toHaveProperty('avg_entry_price');
    await h.store.positions.applyStreamQty(PROFILE, 'AAPL', '12', '111', '2026-08-03T13:31:00Z');
    const provisional = (await h.request({ method: 'GET', url: '/state/positions' })).json();
    expect(provisional.provenance).toBe('provisional');
    expect(provisional.as_of).toBe('2026-08-03T13:31:00Z');
    const aapl = provisional.positions.find((p: { symbol: string }) => p.symbol === 'AAPL');
    expect(aapl).toMatchObject({ qty: '12', provenance: 'provisional' });
  });

  it('serves the account with day P/L in dollars and percent', async () => {
    await h.store.accounts.append(PROFILE, makeSnapshot({ equity: '101000', lastEquity: '100000' }));
    const r = (await h.request({ method: 'GET', url: '/state/account' })).json();
    expect(r.account).toMatchObject({
      equity: '101000',
      cash: '10000.01',
      buying_power: '200000',
      day_pl: '1000',
      day_pl_pct: '1',
    });
  });

  it('filters orders by status, symbol and limit', async () => {
    await h.store.orders.apply(PROFILE, makeOrder({ id: 'o1', symbol: 'AAPL', status: 'new' }));
    await h.store.orders.apply(
      PROFILE,
      makeOrder({ id: 'o2', symbol: 'MSFT', status: 'filled', createdAt: '2026-08-03T13:31:00Z' }),
    );
    await h.store.orders.apply(
      PROFILE,
      makeOrder({ id: 'o3', symbol: 'AAPL', status: 'canceled', createdAt: '2026-08-03T13:32:00Z' }),
    );
    const ids = async (url: string) =>
      (await h.request({ method: 'GET', url })).json().orders.map((o: { id: string }) => o.id);
    expect(await ids('/state/orders')).toEqual(['o3', 'o2', 'o1']);
    expect(await ids('/state/orders?status=open')).toEqual(['o1']);
    expect(await ids('/state/orders?status=closed&symbol=aapl')).toEqual(['o3']);
    expect(await ids('/state/orders?limit=1')).toEqual(['o3']);
    const bad = await h.request({ method: 'GET', url: '/state/orders?status=weird' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details.fields[0]).toMatchObject({ field: 'status', in: 'query' });
  });

  it('serves fills and the P/L series', async () => {
    await h.store.fills.insert(PROFILE, makeFill({ orderId: 'o1', symbol: 'AAPL', price: '101.5' }));
    const fills = (await h.request({ method: 'GET', url: '/state/fills?symbol=AAPL&order_id=o1' })).json();
    expect(fills.fills).toHaveLength(1);
    expect(fills.fills[0]).toMatchObject({ price: '101.5', order_id: 'o1' });
    for (const [i, equity] of ['100000', '100500', '99000'].entries()) {
      await h.store.accounts.append(
        PROFILE,
        makeSnapshot({ at: `2026-08-03T1${i + 3}:00:00Z`, equity, lastEquity: '100000' }),
      );
    }
    const pnl = (await h.request({ method: 'GET', url: '/state/pnl?since=2026-08-03T12:00:00Z' })).json();
    expect(pnl.base_equity).toBe('100000');
    expect(pnl.points.map((p: { pl: string }) => p.pl)).toEqual(['0', '500', '-1000']);
    expect(pnl.points[2]).toMatchObject({ pl_pct: '-1', day_pl: '-1000' });
    const limited = (await h.request({ method: 'GET', url: '/state/pnl?limit=2' })).json();
    expect(limited).toMatchObject({ truncated: true, base_equity: '100500' });
    const bad = await h.request({ method: 'GET', url: '/state/pnl?since=yesterday' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.message).toContain('since');
  });

  it('lists commands and returns one by id, 404 for an unknown id', async () => {
    const kill = await h.request({
      method: 'POST',
      url: '/commands/kill-switch',
      payload: { confirm_token: 'paper' },
    });
    const id = kill.json().command.id;
    const list = (await h.request({ method: 'GET', url: '/commands?type=kill_switch&status=queued' })).json();
    expect(list.commands.map((c: { id: string }) => c.id)).toEqual([id]);
    const one = await h.request({ method: 'GET', url: `/commands/${id}` });
    expect(one.json()).toMatchObject({ id, type: 'kill_switch', status: 'queued', expires_at: null });
    const missing = await h.request({ method: 'GET', url: '/commands/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('command_not_found');
  });

  it('serves the OpenAPI document generated from the route schemas', async () => {
    const r = await h.request({ method: 'GET', url: '/docs/json' });
    expect(r.statusCode).toBe(200);
    const paths = Object.keys(r.json().paths);
    for (const p of [
      '/health',
      '/state/profile',
      '/state/positions',
      '/commands/draft',
      '/commands/confirm',
      '/commands/kill-switch',
      '/commands/{id}',
      '/events',
    ]) {
      expect(paths).toContain(p);
    }
    expect(
      r.json().paths['/commands/draft'].post.requestBody.content['application/json'].schema.required,
    ).toContain('symbol');
    expect((await h.request({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });
});
