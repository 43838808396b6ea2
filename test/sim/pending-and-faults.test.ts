// Pending states and their races (pending_cancel / pending_replace with a configurable window),
// the stream faults delay_events_ms and error_then_close, OPG/CLS windows and auctions on the
// calendar clock, and buy stops capped as stop-limits. Orders go through the official SDK;
// /_sim/ control calls use fetch (not part of Alpaca's API).
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../../src/sim/server.js';
import { openStream, type Sdk, sdkFor, updateFor } from './sdk.js';

const running: RunningSimulator[] = [];
async function start(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ rateLimit: 0, spread: '0', ...options });
  running.push(sim);
  sim.setPrices({ AAPL: '190' });
  return sim;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

function control(sim: RunningSimulator, path: string, body: unknown) {
  return fetch(`${sim.tradingUrl}${path}`, {
    method: 'POST',
    headers: {
      'APCA-API-KEY-ID': sim.keyId,
      'APCA-API-SECRET-KEY': sim.secret,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

type Req = Parameters<Sdk['orders']['postOrder']>[0]['postOrderRequest'];
const submit = (sim: RunningSimulator, req: Partial<Req>) =>
  sdkFor(sim).orders.postOrder({
    postOrderRequest: {
      symbol: 'AAPL',
      side: 'buy',
      type: 'market',
      timeInForce: 'day',
      qty: '1',
      ...req,
    } as Req,
  });
const restingBuy = (sim: RunningSimulator) => submit(sim, { type: 'limit', limitPrice: '185' });

describe('cancel', () => {
  it('goes through pending_cancel to canceled at once by default', async () => {
    const sim = await start();
    const s = await openStream(sim);
    const order = await restingBuy(sim);
    await s.next(updateFor(order.id as string, 'new'));
    await sdkFor(sim).orders.deleteOrderByOrderID({ orderId: order.id as string });
    const canceled = await s.next(updateFor(order.id as string, 'canceled'));
    expect(canceled.order.cancel_requested_at).toEqual(expect.any(String));
    const events = s.updates.filter((u) => u.order.id === order.id).map((u) => u.event);
    expect(events).toEqual(['pending_new', 'new', 'pending_cancel', 'canceled']);
    s.close();
  });

  it('with cancel_delay_ms the order stays pending_cancel (listed as open); a second cancel is harmless', async () => {
    const sim = await start({ cancelDelayMs: 10_000 });
    const s = await openStream(sim);
    const order = await restingBuy(sim);
    await s.next(updateFor(order.id as string, 'new'));
    await sdkFor(sim).orders.deleteOrderByOrderID({ orderId: order.id as string });
    const pending = await sdkFor(sim).orders.getOrderByOrderID({ orderId: order.id as string });
    expect(pending.status).toBe('pending_cancel');
    expect((await sdkFor(sim).orders.getAllOrders({})).map((o) => o.id)).toEqual([order.id]);
    await sdkFor(sim).orders.deleteOrderByOrderID({ orderId: order.id as string });
    s.close();
  });

  it('with cancel_delay_ms the cancel completes after the window', async () => {
    const sim = await start({ cancelDelayMs: 20 });
    const s = await openStream(sim);
    const order = await restingBuy(sim);
    await s.next(updateFor(order.id as string, 'new'));
    await sdkFor(sim).orders.deleteOrderByOrderID({ orderId: order.id as string });
    await s.next(updateFor(order.id as string, 'canceled'));
    const events = s.updates.filter((u) => u.order.id === order.id).map((u) => u.event);
    expect(events).toEqual(['pending_new', 'new', 'pending_cancel', 'canceled']);
    s.close();
  });

  it('a fill inside the cancel window wins: fill, then order_cancel_rejected', async () => {
    const sim = await start();
    await control(sim, '/_sim/faults', { cancel_delay_ms: 10_000 });
    const s = await openStream(sim);
    const order = await restingBuy(sim);
    await s.next(updateFor(order.id as string, 'new'));
    await sdkFor(sim).orders.deleteOrderByOrderID({ orderId: order.id as string });
    await s.next(updateFor(order.id as string, 'pending_cancel'));
    sim.setPrices({ AAPL: '184' });
    const rejected = await s.next(updateFor(order.id as string, 'order_cancel_rejected'));
    expect(rejected.order.status).toBe('filled');
    const events = s.updates.filter((u) => u.order.id === order.id).map((u) => u.event);
    expect(events).toEqual(['pending_new', 'new', 'pending_cancel', 'fill', 'order_cancel_rejected']);
    s.close();
  });

  it('a cancel of a filled order is 422 by default', async () => {
    const sim = await start();
    const s = await openStream(sim);
    const order = await submit(sim, {});
    await s.next(updateFor(order.id as string, 'fill'));
    await expect(
      sdkFor(sim).orders.deleteOrderByOrderID({ orderId: order.id as string }),
    ).rejects.toMatchObject({
      status: 422,
      code: 42210000,
    });
    s.close();
  });

  it("with cancelFinalBehavior '204' a cancel of a filled order answers 204, then order_cancel_rejected", async () => {
    const sim = await start({ cancelFinalBehavior: '204' });
    const s = await openStream(sim);
    const order = await submit(sim, {});
    await s.next(updateFor(order.id as string, 'fill'));
    await expect(
      sdkFor(sim).orders.deleteOrderByOrderID({ orderId: order.id as string }),
    ).resolves.toBeUndefined();
    const rejected = await s.next(updateFor(order.id as string, 'order_cancel_rejected'));
    expect(rejected.order.status).toBe('filled');
    const events = s.updates.filter((u) => u.order.id === order.id).map((u) => u.event);
    expect(events).toEqual(['pending_new', 'new', 'fill', 'order_cancel_rejected']);
    const after = await sdkFor(sim).orders.getOrderByOrderID({ orderId: order.id as string });
    expect(after.status).toBe('filled');
    s.close();
  });

  it('cancel-all requests a cancel of every open order', async () => {
    const sim = await start({ cancelDelayMs: 10_000 });
    await restingBuy(sim);
    await new Promise((r) => setImmediate(r));
    const result = await sdkFor(sim).orders.deleteAllOrders();
    expect(result.map((r) => r.status)).toEqual([200]);
    const open = await sdkFor(sim).orders.getAllOrders({});
    expect(open.map((o) => o.status)).toEqual(['pending_cancel']);
  });
});

describe('replace', () => {
  it('goes through pending_replace, then replaced, then the new order starts', async () => {
    const sim = await start();
    const s = await openStream(sim);
    const old = await restingBuy(sim);
    await s.next(updateFor(old.id as string, 'new'));
    const next = await sdkFor(sim).orders.patchOrderByOrderId({
      orderId: old.id as string,
      patchOrderRequest: { limitPrice: '186' },
    });
    await s.next(updateFor(next.id as string, 'new'));
    const events = s.updates.filter((u) => u.order.id === old.id).map((u) => u.event);
    expect(events).toEqual(['pending_new', 'new', 'pending_replace', 'replaced']);
    s.close();
  });

  it('with a replace window the old order refuses cancels and replaces while pending', async () => {
    const sim = await start({ replaceDelayMs: 10_000 });
    const s = await openStream(sim);
    const old = await restingBuy(sim);
    await s.next(updateFor(old.id as string, 'new'));
    const api = sdkFor(sim).orders;
    const next = await api.patchOrderByOrderId({
      orderId: old.id as string,
      patchOrderRequest: { qty: '2' },
    });
    expect(next.status).toBe('accepted');
    await expect(api.deleteOrderByOrderID({ orderId: old.id as string })).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      api.patchOrderByOrderId({ orderId: old.id as string, patchOrderRequest: { qty: '3' } }),
    ).rejects.toMatchObject({ status: 422 });
    s.close();
  });

  it('with a replace window the replace completes after it', async () => {
    const sim = await start({ replaceDelayMs: 20 });
    const s = await openStream(sim);
    const old = await restingBuy(sim);
    await s.next(updateFor(old.id as string, 'new'));
    const api = sdkFor(sim).orders;
    const next = await api.patchOrderByOrderId({
      orderId: old.id as string,
      patchOrderRequest: { qty: '2' },
    });
    await s.next(updateFor(old.id as string, 'replaced'));
    await s.next(updateFor(next.id as string, 'new'));
    s.close();
  });

  it('a fill inside the replace window wins: the new order is rejected, then order_replace_rejected', async () => {
    const sim = await start();
    await control(sim, '/_sim/faults', { replace_delay_ms: 10_000 });
    const s = await openStream(sim);
    const old = await restingBuy(sim);
    await s.next(updateFor(old.id as string, 'new'));
    const next = await sdkFor(sim).orders.patchOrderByOrderId({
      orderId: old.id as string,
      patchOrderRequest: { limitPrice: '186' },
    });
    await s.next(updateFor(old.id as string, 'pending_replace'));
    sim.setPrices({ AAPL: '184' });
    await s.next(updateFor(old.id as string, 'order_replace_rejected'));
    const rejected = await s.next(updateFor(next.id as string, 'rejected'));
    expect(rejected.order.failedAt).toBeInstanceOf(Date);
    const events = s.updates.filter((u) => u.order.id === old.id).map((u) => u.event);
    expect(events).toEqual(['pending_new', 'new', 'pending_replace', 'fill', 'order_replace_rejected']);
    s.close();
  });
});

describe('stream faults', () => {
  it('delay_events_ms delays every event and keeps their order; {} clears every fault', async () => {
    const sim = await start();
    const s = await openStream(sim);
    const set = await (await control(sim, '/_sim/faults', { delay_events_ms: 300 })).json();
    expect(set).toMatchObject({ delay_events_ms: 300, error_then_close: false });
    const t0 = Date.now();
    const order = await submit(sim, {});
    expect(s.updates.filter((u) => u.order.id === order.id)).toEqual([]);
    await s.next(updateFor(order.id as string, 'fill'));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(s.updates.filter((u) => u.order.id === order.id).map((u) => u.event)).toEqual([
      'pending_new',
      'new',
      'fill',
    ]);
    const cleared = await (await control(sim, '/_sim/faults', {})).json();
    expect(cleared).toMatchObject({ delay_events_ms: 0, cancel_delay_ms: 0, replace_delay_ms: 0 });
    expect((await control(sim, '/_sim/faults', { error_then_close: 'yes' })).status).toBe(422);
    expect((await control(sim, '/_sim/faults', { delay_events_ms: -1 })).status).toBe(422);
    s.close();
  });

  it('error_then_close sends an error frame, then closes the stream', async () => {
    const sim = await start();
    const s = await openStream(sim);
    const closed = new Promise<void>((resolve) => s.stream.onDisconnect(() => resolve()));
    await control(sim, '/_sim/faults', { error_then_close: true });
    await closed;
    expect(s.errors).toContain('internal server error');
  });
});

describe('OPG and CLS on the calendar clock', () => {
  const calendar = (time: string) => start({ clock: 'calendar', startTime: time });

  it('refuses OPG from 09:28 and CLS from 15:50 until 19:00 ET', async () => {
    const sim = await calendar('2026-08-03T15:55:00-04:00');
    await expect(submit(sim, { timeInForce: 'opg' })).rejects.toMatchObject({ status: 422 });
    await expect(submit(sim, { timeInForce: 'cls' })).rejects.toMatchObject({
      status: 422,
      message: 'cls orders are not accepted between 15:50 and 19:00 ET',
    });
    sim.setTime('2026-08-03T19:30:00-04:00');
    const opg = await submit(sim, { timeInForce: 'opg' });
    expect(opg.status).toBe('accepted');
    expect(opg.expiresAt?.toISOString()).toBe('2026-08-04T20:00:00.000Z');
  });

  it('OPG orders trade at the open; what cannot trade then is canceled', async () => {
    const sim = await calendar('2026-08-03T08:00:00-04:00');
    const s = await openStream(sim);
    const market = await submit(sim, { timeInForce: 'opg' });
    const limit = await submit(sim, { timeInForce: 'opg', type: 'limit', limitPrice: '150' });
    expect(market.status).toBe('accepted');
    sim.setTime('2026-08-03T09:30:01-04:00');
    await s.next(updateFor(market.id as string, 'fill'));
    await s.next(updateFor(limit.id as string, 'canceled'));
    s.close();
  });

  it('CLS orders wait for the close and trade once there', async () => {
    const sim = await calendar('2026-08-03T10:00:00-04:00');
    const s = await openStream(sim);
    const market = await submit(sim, { timeInForce: 'cls' });
    const limit = await submit(sim, { timeInForce: 'cls', type: 'limit', limitPrice: '150' });
    expect(market.status).toBe('accepted');
    sim.setPrices({ AAPL: '191' });
    sim.setTime('2026-08-03T12:00:00-04:00');
    expect(s.updates.filter((u) => u.order.id === market.id).map((u) => u.event)).toEqual(['accepted']);
    sim.setTime('2026-08-03T16:00:01-04:00');
    expect((await s.next(updateFor(market.id as string, 'fill'))).price).toBe('191');
    await s.next(updateFor(limit.id as string, 'canceled'));
    s.close();
  });
});

describe('buy stops', () => {
  it('work as stop-limits: limit = stop × 1.025 from $50', async () => {
    const sim = await start();
    const s = await openStream(sim);
    const order = await submit(sim, { type: 'stop', stopPrice: '200' });
    await s.next(updateFor(order.id as string, 'new'));
    sim.setPrices({ AAPL: '206' });
    expect(s.updates.filter((u) => u.order.id === order.id).map((u) => u.event)).toEqual([
      'pending_new',
      'new',
    ]);
    sim.setPrices({ AAPL: '204.9' });
    expect((await s.next(updateFor(order.id as string, 'fill'))).price).toBe('204.9');
    s.close();
  });

  it('work as stop-limits: limit = stop × 1.04 under $50', async () => {
    const sim = await start();
    const s = await openStream(sim);
    const order = await submit(sim, { symbol: 'F', type: 'stop', stopPrice: '12' });
    await s.next(updateFor(order.id as string, 'new'));
    sim.setPrices({ F: '12.50' });
    expect(s.updates.filter((u) => u.order.id === order.id).map((u) => u.event)).toEqual([
      'pending_new',
      'new',
    ]);
    sim.setPrices({ F: '12.48' });
    await s.next(updateFor(order.id as string, 'fill'));
    s.close();
  });
});
