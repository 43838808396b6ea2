// Order lifecycle through the official SDK: submit -> pending_new -> new -> fill, limit orders
// resting until the price crosses, stops, trailing stops, IOC/FOK, notional, cancels, replaces.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dec } from '../../src/core/decimal.js';
import { type RunningSimulator, startSimulator } from '../../src/sim/server.js';
import { openStream, type Sdk, type StreamHandle, sdkFor, updateFor } from './sdk.js';

let sim: RunningSimulator;
let sdk: Sdk;
let stream: StreamHandle;

beforeAll(async () => {
  sim = await startSimulator({ spread: '0', rateLimit: 0 });
  sdk = sdkFor(sim);
  stream = await openStream(sim);
});

afterAll(async () => {
  stream.close();
  await sim.stop();
});

beforeEach(() => {
  sim.broker.reset(dec('100000'), []);
  sim.setPrices({ AAPL: '190', MSFT: '420', TSLA: '250' });
});

type Req = Parameters<Sdk['orders']['postOrder']>[0]['postOrderRequest'];
const submit = (req: Partial<Req>) =>
  sdk.orders.postOrder({
    postOrderRequest: { symbol: 'AAPL', side: 'buy', type: 'market', timeInForce: 'day', ...req } as Req,
  });

function eventsOf(id: string): string[] {
  return stream.updates.filter((u) => u.order.id === id).map((u) => u.event);
}

describe('market orders', () => {
  it('answers pending_new and streams pending_new, new, fill with execution fields', async () => {
    const order = await submit({ qty: '10', clientOrderId: 'mkt-1' });
    expect(order.status).toBe('pending_new');
    expect(order.clientOrderId).toBe('mkt-1');
    expect(order.filled_avg_price).toBeNull();
    const fill = await stream.next(updateFor(order.id as string, 'fill'));
    expect(fill.price).toBe('190');
    expect(fill.qty).toBe('10');
    expect(fill.positionQty).toBe('10');
    expect(fill.executionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fill.timestamp).toBeInstanceOf(Date);
    expect(fill.order.status).toBe('filled');
    expect(fill.order.filledAvgPrice).toBe('190');
    expect(eventsOf(order.id as string)).toEqual(['pending_new', 'new', 'fill']);
    const account = await sdk.account.getAccount();
    expect(account.cash).toBe('98100');
  });

  it('buys at the ask and sells at the bid', async () => {
    sim.setPrices({ MSFT: { last: '420', bid: '419.90', ask: '420.10' } });
    const buy = await submit({ symbol: 'MSFT', qty: '2' });
    expect((await stream.next(updateFor(buy.id as string, 'fill'))).price).toBe('420.1');
    const sell = await submit({ symbol: 'MSFT', qty: '2', side: 'sell' });
    const fill = await stream.next(updateFor(sell.id as string, 'fill'));
    expect(fill.price).toBe('419.9');
    expect(fill.positionQty).toBe('0');
    await expect(sdk.positions.getAllOpenPositions()).resolves.toEqual([]);
  });

  it('fills a notional buy with a fractional quantity', async () => {
    const order = await submit({ notional: '950', qty: undefined });
    const fill = await stream.next(updateFor(order.id as string, 'fill'));
    expect(fill.qty).toBe('5');
    expect(fill.order.notional).toBe('950');
    expect(fill.order.qty).toBeUndefined();
  });
});

describe('limit and stop orders', () => {
  it('rests a limit buy until the ask crosses it, then fills at the ask', async () => {
    const order = await submit({ qty: '3', type: 'limit', limitPrice: '185' });
    await stream.next(updateFor(order.id as string, 'new'));
    expect((await sdk.orders.getOrderByOrderID({ orderId: order.id as string })).status).toBe('new');
    sim.setPrices({ AAPL: '186' });
    expect(eventsOf(order.id as string)).not.toContain('fill');
    sim.setPrices({ AAPL: '184.50' });
    const fill = await stream.next(updateFor(order.id as string, 'fill'));
    expect(fill.price).toBe('184.5');
  });

  it('elects a sell stop on the last trade and fills it as a market order', async () => {
    await submit({ qty: '5' });
    const stop = await submit({ qty: '5', side: 'sell', type: 'stop', stopPrice: '180' });
    await stream.next(updateFor(stop.id as string, 'new'));
    sim.setPrices({ AAPL: '181' });
    expect(eventsOf(stop.id as string)).toEqual(['pending_new', 'new']);
    sim.setPrices({ AAPL: '179.5' });
    expect((await stream.next(updateFor(stop.id as string, 'fill'))).price).toBe('179.5');
  });

  it('a stop_limit triggers, then waits for its limit', async () => {
    const order = await submit({ qty: '1', type: 'stop_limit', stopPrice: '200', limitPrice: '201' });
    await stream.next(updateFor(order.id as string, 'new'));
    sim.setPrices({ AAPL: '203' });
    expect(eventsOf(order.id as string)).not.toContain('fill');
    sim.setPrices({ AAPL: '200.5' });
    expect((await stream.next(updateFor(order.id as string, 'fill'))).price).toBe('200.5');
  });

  it('a trailing stop tracks its high-water mark and fires on the pullback', async () => {
    await submit({ qty: '4' });
    const trail = await submit({ qty: '4', side: 'sell', type: 'trailing_stop', trailPrice: '5' });
    await stream.next(updateFor(trail.id as string, 'new'));
    sim.setPrices({ AAPL: '200' });
    const working = await sdk.orders.getOrderByOrderID({ orderId: trail.id as string });
    expect(working.hwm).toBe('200');
    expect(working.stopPrice).toBe('195');
    sim.setPrices({ AAPL: '196' });
    expect(eventsOf(trail.id as string)).not.toContain('fill');
    sim.setPrices({ AAPL: '194.9' });
    expect((await stream.next(updateFor(trail.id as string, 'fill'))).price).toBe('194.9');
  });

  it('a trailing stop by percent computes its stop from the percentage', async () => {
    const trail = await submit({ qty: '1', type: 'trailing_stop', trailPercent: '10', timeInForce: 'gtc' });
    await stream.next(updateFor(trail.id as string, 'new'));
    sim.setPrices({ AAPL: '180' });
    const working = await sdk.orders.getOrderByOrderID({ orderId: trail.id as string });
    expect(working.hwm).toBe('180');
    expect(working.stopPrice).toBe('198');
    sim.setPrices({ AAPL: '198' });
    await stream.next(updateFor(trail.id as string, 'fill'));
  });
});

describe('time in force', () => {
  it('IOC cancels whatever cannot trade at once; FOK fills fully or not at all', async () => {
    const ioc = await submit({ qty: '1', type: 'limit', limitPrice: '150', timeInForce: 'ioc' });
    expect((await stream.next(updateFor(ioc.id as string, 'canceled'))).order.filledQty).toBe('0');
    const fok = await submit({ qty: '1', type: 'limit', limitPrice: '191', timeInForce: 'fok' });
    await stream.next(updateFor(fok.id as string, 'fill'));
  });

  it('GTC orders expire 90 days out at 16:15 ET; DAY orders at the close', async () => {
    const gtc = await submit({ qty: '1', type: 'limit', limitPrice: '100', timeInForce: 'gtc' });
    const day = await submit({ qty: '1', type: 'limit', limitPrice: '100' });
    const days = ((gtc.expiresAt as Date).getTime() - (gtc.createdAt as Date).getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(89);
    expect(days).toBeLessThan(91);
    expect([20, 21]).toContain((gtc.expiresAt as Date).getUTCHours());
    expect([17, 20, 21]).toContain((day.expiresAt as Date).getUTCHours());
  });
});

describe('cancel and replace', () => {
  it('cancel answers 204 and streams canceled; a second cancel is 422', async () => {
    const order = await submit({ qty: '1', type: 'limit', limitPrice: '100' });
    await expect(sdk.orders.deleteOrderByOrderID({ orderId: order.id as string })).resolves.toBeUndefined();
    const canceled = await stream.next(updateFor(order.id as string, 'canceled'));
    expect(canceled.order.canceledAt).toBeInstanceOf(Date);
    await expect(sdk.orders.deleteOrderByOrderID({ orderId: order.id as string })).rejects.toMatchObject({
      status: 422,
      code: 42210000,
    });
  });

  it('cancel all answers 207 with one entry per open order', async () => {
    const a = await submit({ qty: '1', type: 'limit', limitPrice: '100' });
    const b = await submit({ symbol: 'MSFT', qty: '1', type: 'limit', limitPrice: '100' });
    const result = await sdk.orders.deleteAllOrdersRaw();
    expect(result.raw.status).toBe(207);
    const body = await result.value();
    expect(body.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    expect(body.every((r) => r.status === 200)).toBe(true);
    expect(await sdk.orders.getAllOrders({ status: 'open' })).toEqual([]);
  });

  it('replace creates a new order and marks the old one replaced', async () => {
    const old = await submit({ qty: '2', type: 'limit', limitPrice: '150', clientOrderId: 'rep-old' });
    await stream.next(updateFor(old.id as string, 'new'));
    const replacement = await sdk.orders.patchOrderByOrderId({
      orderId: old.id as string,
      patchOrderRequest: { limitPrice: '151.5', qty: '3', clientOrderId: 'rep-new' },
    });
    expect(replacement.id).not.toBe(old.id);
    expect(replacement.replaces).toBe(old.id);
    expect(replacement.limitPrice).toBe('151.5');
    expect(replacement.qty).toBe('3');
    const replaced = await stream.next(updateFor(old.id as string, 'replaced'));
    expect(replaced.order.replacedBy).toBe(replacement.id);
    await stream.next(updateFor(replacement.id as string, 'new'));
    const again = sdk.orders.patchOrderByOrderId({
      orderId: replacement.id as string,
      patchOrderRequest: { limitPrice: '151.5' },
    });
    await expect(again).rejects.toMatchObject({ status: 403, message: 'order parameters are not changed' });
  });

  it('replace of a trailing stop keeps the trail unit', async () => {
    const old = await submit({ qty: '1', type: 'trailing_stop', trailPercent: '2' });
    await stream.next(updateFor(old.id as string, 'new'));
    const next = await sdk.orders.patchOrderByOrderId({
      orderId: old.id as string,
      patchOrderRequest: { trail: '3' },
    });
    expect(next.trailPercent).toBe('3');
    expect(next.trailPrice).toBeUndefined();
  });
});

describe('reading orders', () => {
  it('gets by id and by client order id, lists with filters', async () => {
    const a = await submit({ qty: '1', type: 'limit', limitPrice: '100', clientOrderId: 'read-a' });
    const b = await submit({
      symbol: 'MSFT',
      qty: '1',
      type: 'limit',
      limitPrice: '100',
      clientOrderId: 'read-b',
    });
    const c = await submit({ symbol: 'TSLA', qty: '1', clientOrderId: 'read-c' });
    await stream.next(updateFor(c.id as string, 'fill'));
    expect((await sdk.orders.getOrderByClientOrderId({ clientOrderId: 'read-b' })).id).toBe(b.id);
    expect((await sdk.orders.getOrderByOrderID({ orderId: a.id as string })).clientOrderId).toBe('read-a');
    const open = await sdk.orders.getAllOrders({});
    expect(open.map((o) => o.clientOrderId)).toEqual(['read-b', 'read-a']);
    const asc = await sdk.orders.getAllOrders({ status: 'all', direction: 'asc', limit: 2 });
    expect(asc.map((o) => o.clientOrderId)).toEqual(['read-a', 'read-b']);
    const closed = await sdk.orders.getAllOrders({ status: 'closed' });
    expect(closed.map((o) => o.clientOrderId)).toContain('read-c');
    const bySymbol = await sdk.orders.getAllOrders({ status: 'all', symbols: 'MSFT,TSLA' });
    expect(bySymbol.map((o) => o.clientOrderId).sort()).toEqual(['read-b', 'read-c']);
    const sells = await sdk.orders.getAllOrders({ status: 'all', side: 'sell' });
    expect(sells).toEqual([]);
    const until = await sdk.orders.getAllOrders({
      status: 'all',
      until: new Date(Date.now() + 60_000).toISOString(),
      after: '2020-01-01',
    });
    expect(until.length).toBeGreaterThanOrEqual(3);
    const nested = await sdk.orders.getAllOrders({ status: 'all', nested: true, limit: 500 });
    expect(nested.length).toBeGreaterThanOrEqual(3);
  });
});

describe('partial fills', () => {
  it('with probability 1 an order fills in several executions, each with its own execution id', async () => {
    const partial = await startSimulator({ spread: '0', partialFillProbability: 1, seed: 7 });
    const s = await openStream(partial);
    try {
      const order = await sdkFor(partial).orders.postOrder({
        postOrderRequest: { symbol: 'AAPL', qty: '100', side: 'buy', type: 'market', timeInForce: 'day' },
      });
      const fill = await s.next(updateFor(order.id as string, 'fill'));
      const executions = s.updates.filter((u) => u.order.id === order.id && u.executionId);
      expect(executions.length).toBeGreaterThan(1);
      expect(executions.slice(0, -1).every((u) => u.event === 'partial_fill')).toBe(true);
      expect(new Set(executions.map((u) => u.executionId)).size).toBe(executions.length);
      const total = executions.reduce((sum, u) => sum.plus(u.qty as string), dec(0));
      expect(total.toString()).toBe('100');
      expect(fill.positionQty).toBe('100');
      const fills = await sdkFor(partial).activities.getAccountActivitiesByActivityType({
        activityType: 'FILL',
      });
      expect(fills).toHaveLength(executions.length);
    } finally {
      s.close();
      await partial.stop();
    }
  });
});
