// The trade_updates stream (auth, listen, frames, connection limit, drop and reconnect, faults) and
// the /_sim/ control surface, plus the session-calendar clock (accepted off-hours, routed at the
// open, DAY orders expired at the close). The SDK stream is used throughout; malformed frames are
// sent with a raw ws client because the SDK cannot produce them.
import { streaming } from '@alpacahq/alpaca-trade-api';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../../src/sim/server.js';
import { openStream, sdkFor, updateFor } from './sdk.js';

const running: RunningSimulator[] = [];
async function start(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ rateLimit: 0, spread: '0', ...options });
  running.push(sim);
  return sim;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

function control(sim: RunningSimulator, path: string, body?: unknown, method = 'POST') {
  return fetch(`${sim.tradingUrl}${path}`, {
    method,
    headers: {
      'APCA-API-KEY-ID': sim.keyId,
      'APCA-API-SECRET-KEY': sim.secret,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const marketBuy = (sim: RunningSimulator, qty = '1') =>
  sdkFor(sim).orders.postOrder({
    postOrderRequest: { symbol: 'AAPL', qty, side: 'buy', type: 'market', timeInForce: 'day' },
  });

function rawSocket(
  url: string,
): Promise<{ ws: WebSocket; frames: unknown[]; next(): Promise<Record<string, unknown>> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const frames: unknown[] = [];
    const waiting: ((f: Record<string, unknown>) => void)[] = [];
    ws.on('message', (data, isBinary) => {
      expect(isBinary).toBe(true);
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      const w = waiting.shift();
      if (w) w(frame);
      else frames.push(frame);
    });
    ws.on('open', () =>
      resolve({
        ws,
        frames,
        next: () => {
          const f = frames.shift();
          return f ? Promise.resolve(f as Record<string, unknown>) : new Promise((r) => waiting.push(r));
        },
      }),
    );
    ws.on('error', reject);
  });
}

describe('trade_updates stream', () => {
  it('rejects bad credentials with an unauthorized authorization frame (SDK: server_rejected, no reconnect)', async () => {
    const sim = await start();
    const stream = new streaming.TradingStream({
      credentials: { keyId: sim.keyId, secret: 'nope' },
      url: sim.streamUrl,
    });
    const errors: string[] = [];
    stream.onError((e) => errors.push(e));
    stream.connect();
    const result = await stream.whenAuthenticated();
    expect(result).toMatchObject({ status: 'server_rejected', authenticated: false });
    expect(errors).toContain('auth failed');
  });

  it('handles malformed frames with error frames and keeps serving (raw client)', async () => {
    const sim = await start();
    const raw = await rawSocket(sim.streamUrl);
    raw.ws.send('{not json');
    expect(await raw.next()).toEqual({ action: 'error', data: { error_message: 'invalid syntax' } });
    raw.ws.send('[1,2]');
    expect(await raw.next()).toEqual({
      action: 'error',
      data: { error_message: 'message must be a JSON object' },
    });
    raw.ws.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
    expect(await raw.next()).toEqual({
      stream: 'authorization',
      data: { status: 'unauthorized', action: 'listen' },
    });
    raw.ws.send(JSON.stringify({ action: 'dance' }));
    expect((await raw.next()).action).toBe('error');
    raw.ws.send(JSON.stringify({ action: 'auth', key: sim.keyId, secret: sim.secret }));
    expect(await raw.next()).toEqual({
      stream: 'authorization',
      data: { status: 'authorized', action: 'authenticate' },
    });
    raw.ws.send(JSON.stringify({ action: 'listen', data: { streams: 'trade_updates' } }));
    expect((await raw.next()).action).toBe('error');
    raw.ws.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates', 'bogus'] } }));
    expect(await raw.next()).toEqual({ stream: 'listening', data: { streams: ['trade_updates'] } });
    const order = await marketBuy(sim);
    const first = await raw.next();
    expect(first).toMatchObject({
      stream: 'trade_updates',
      data: { event: 'pending_new', order: { id: order.id } },
    });
    raw.ws.send(JSON.stringify({ action: 'listen', data: { streams: [] } }));
    raw.ws.close();
  });

  it('allows one stream per key: a second is refused with 429 until the first drops, then reconnect works at once', async () => {
    const sim = await start();
    const first = await openStream(sim, {
      reconnect: true,
      initialReconnectMs: 50,
      backoff: false,
      reconnectJitter: 0,
    });
    const second = await new Promise<number>((resolve) => {
      const ws = new WebSocket(sim.streamUrl);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(second).toBe(429);
    const reconnected = new Promise<void>((resolve) => first.stream.onReconnected(() => resolve()));
    const dropped = await (await control(sim, '/_sim/stream/drop')).json();
    expect(dropped).toEqual({ dropped: 1 });
    await reconnected;
    await new Promise<void>((resolve) => first.stream.once('subscription', () => resolve()));
    const order = await marketBuy(sim);
    await first.next(updateFor(order.id as string, 'fill'));
    const stats = (await (await control(sim, '/_sim/stats', undefined, 'GET')).json()) as Record<
      string,
      Record<string, number>
    >;
    expect(stats.stream?.totalConnections).toBe(2);
    expect(stats.stream?.refused).toBe(1);
    first.close();
  });

  it('sends text frames when configured, and no events to sockets that do not listen', async () => {
    const sim = await start({ frames: 'text' });
    const s = await openStream(sim);
    const order = await marketBuy(sim);
    await s.next(updateFor(order.id as string, 'fill'));
    expect(s.updates.map((u) => u.event)).toEqual(['pending_new', 'new', 'fill']);
    s.close();
  });

  it('drops the configured events and refuses upgrades while refuse_stream_ms runs', async () => {
    const sim = await start();
    const s = await openStream(sim);
    await control(sim, '/_sim/faults', { drop_events: ['new'] });
    const order = await marketBuy(sim);
    await s.next(updateFor(order.id as string, 'fill'));
    expect(s.updates.map((u) => u.event)).toEqual(['pending_new', 'fill']);
    await control(sim, '/_sim/faults', { duplicate_event_rate: 1 });
    const again = await marketBuy(sim);
    await s.next(updateFor(again.id as string, 'fill'));
    const fills = s.updates.filter((u) => u.order.id === again.id && u.event === 'fill');
    expect(fills).toHaveLength(2);
    expect(fills[0]?.executionId).toBe(fills[1]?.executionId);
    s.close();
    await control(sim, '/_sim/faults', { refuse_stream_ms: 60_000 });
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(sim.streamUrl);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    });
    expect(status).toBe(429);
  });
});

describe('control surface', () => {
  it('needs the same keys, resets the account, reports stats and validates input', async () => {
    const sim = await start();
    const noKeys = await fetch(`${sim.tradingUrl}/_sim/stats`);
    expect(noKeys.status).toBe(401);
    const reset = await control(sim, '/_sim/reset', {
      cash: '5000',
      positions: [{ symbol: 'AAPL', qty: '10', avg_entry_price: '180' }],
    });
    expect(reset.status).toBe(200);
    const api = sdkFor(sim);
    expect((await api.account.getAccount()).cash).toBe('5000');
    expect((await api.positions.getOpenPosition({ symbolOrAssetId: 'AAPL' })).avgEntryPrice).toBe('180');
    expect((await control(sim, '/_sim/prices', { AAPL: '191.20', MSFT: 400 })).status).toBe(200);
    expect((await api.positions.getOpenPosition({ symbolOrAssetId: 'AAPL' })).currentPrice).toBe('191.2');
    expect((await control(sim, '/_sim/prices', { NOPE: '1' })).status).toBe(422);
    expect((await control(sim, '/_sim/prices', { AAPL: 'x' })).status).toBe(422);
    expect((await control(sim, '/_sim/prices', { AAPL: { bid: '2', ask: '1' } })).status).toBe(422);
    expect((await control(sim, '/_sim/reset', { positions: 'x' })).status).toBe(422);
    const tick = (await (await control(sim, '/_sim/tick', { steps: 3 })).json()) as Record<string, string>;
    expect(tick.AAPL).toMatch(/^\d+(\.\d+)?$/);
    expect((await control(sim, '/_sim/tick', { steps: 0 })).status).toBe(422);
    const blocked = await control(sim, '/_sim/account', { trading_blocked: true });
    expect(await blocked.json()).toMatchObject({ trading_blocked: true });
    await expect(marketBuy(sim)).rejects.toMatchObject({ status: 403 });
    const stats = (await (await control(sim, '/_sim/stats', undefined, 'GET')).json()) as Record<
      string,
      unknown
    >;
    expect(stats.requests).toMatchObject({
      'GET /v2/account': 1,
      'GET /v2/positions/:symbol': 2,
      'POST /v2/orders': 1,
    });
    expect(stats.orders_submitted).toBe(0);
  });

  it('the same seed gives the same random walk', async () => {
    const a = await start({ seed: 42 });
    const b = await start({ seed: 42 });
    const c = await start({ seed: 43 });
    const walk = async (sim: RunningSimulator) => (await control(sim, '/_sim/tick', { steps: 20 })).json();
    const [wa, wb, wc] = await Promise.all([walk(a), walk(b), walk(c)]);
    expect(wa).toEqual(wb);
    expect(wa).not.toEqual(wc);
  });
});

describe('session calendar clock', () => {
  it('accepts orders off-hours, routes them at the open and expires DAY orders at the close', async () => {
    // Monday 2026-08-03, 08:00 ET: pre-market.
    const sim = await start({ clock: 'calendar', startTime: '2026-08-03T08:00:00-04:00' });
    const api = sdkFor(sim);
    const s = await openStream(sim);
    const clock = await api.clock.legacyClock();
    expect(clock.isOpen).toBe(false);
    expect(clock.nextOpen.toISOString()).toBe('2026-08-03T13:30:00.000Z');
    const market = await marketBuy(sim);
    expect(market.status).toBe('accepted');
    const ext = await api.orders.postOrder({
      postOrderRequest: {
        symbol: 'AAPL',
        qty: '1',
        side: 'buy',
        type: 'limit',
        limitPrice: '195',
        timeInForce: 'day',
        extendedHours: true,
      },
    });
    expect(ext.status).toBe('pending_new');
    await s.next(updateFor(ext.id as string, 'fill'));
    const resting = await api.orders.postOrder({
      postOrderRequest: {
        symbol: 'AAPL',
        qty: '1',
        side: 'buy',
        type: 'limit',
        limitPrice: '100',
        timeInForce: 'day',
      },
    });
    expect(resting.expiresAt?.toISOString()).toBe('2026-08-03T20:00:00.000Z');
    await control(sim, '/_sim/clock', { time: '2026-08-03T09:30:01-04:00' });
    await s.next(updateFor(market.id as string, 'fill'));
    const events = s.updates.filter((u) => u.order.id === market.id).map((u) => u.event);
    expect(events).toEqual(['accepted', 'pending_new', 'new', 'fill']);
    await s.next(updateFor(resting.id as string, 'new'));
    const view = await (await control(sim, '/_sim/clock', { time: '2026-08-03T16:00:01-04:00' })).json();
    expect(view).toMatchObject({ phase: 'post', frozen: true, mode: 'calendar' });
    await s.next(updateFor(resting.id as string, 'expired'));
    const account = await api.account.getAccount();
    expect(account.balanceAsof).toBe('2026-08-03');
    expect((await api.clock.legacyClock()).nextOpen.toISOString()).toBe('2026-08-04T13:30:00.000Z');
    s.close();
  });

  it('can end DAY orders as canceled instead of expired', async () => {
    const sim = await start({
      clock: 'calendar',
      startTime: '2026-08-03T10:00:00-04:00',
      dayExpiryStatus: 'canceled',
    });
    const s = await openStream(sim);
    const order = await sdkFor(sim).orders.postOrder({
      postOrderRequest: {
        symbol: 'AAPL',
        qty: '1',
        side: 'buy',
        type: 'limit',
        limitPrice: '100',
        timeInForce: 'day',
      },
    });
    sim.setTime('2026-08-03T16:30:00-04:00');
    await s.next(updateFor(order.id as string, 'canceled'));
    s.close();
  });
});
