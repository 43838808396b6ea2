// Bracket, OCO and OTO orders through the official SDK: legs created held, activation after the
// entry's complete fill, take-profit/stop-loss mutual cancel, family cancel, the nested rollup in
// GET /v2/orders and GET /v2/orders/{id}, held legs outside status=open, the wash-trade exemption.
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
  sim.setPrices({ AAPL: '190', MSFT: '420' });
});

type Req = Parameters<Sdk['orders']['postOrder']>[0]['postOrderRequest'];
const submit = (req: Partial<Req>) =>
  sdk.orders.postOrder({
    postOrderRequest: { symbol: 'AAPL', side: 'buy', type: 'market', timeInForce: 'day', ...req } as Req,
  });

const bracket = (req: Partial<Req> = {}) =>
  submit({
    qty: '10',
    orderClass: 'bracket',
    takeProfit: { limitPrice: '200' },
    stopLoss: { stopPrice: '180' },
    ...req,
  });

function eventsOf(id: string | undefined): string[] {
  return stream.updates.filter((u) => u.order.id === id).map((u) => u.event);
}

const byId = (orderId: string, nested = false) => sdk.orders.getOrderByOrderID({ orderId, nested });

describe('bracket orders', () => {
  it('creates held legs, activates the take-profit after the entry fills, and rolls legs up when nested', async () => {
    const parent = await bracket();
    expect(parent.orderClass).toBe('bracket');
    const [tp, sl] = parent.legs ?? [];
    expect(tp).toMatchObject({ type: 'limit', side: 'sell', limitPrice: '200', status: 'held', qty: '10' });
    expect(sl).toMatchObject({ type: 'stop', side: 'sell', stopPrice: '180', status: 'held' });
    await stream.next(updateFor(parent.id as string, 'fill'));
    await stream.next(updateFor(tp?.id as string, 'new'));
    expect(eventsOf(sl?.id)).toEqual([]);
    const nested = await byId(parent.id as string, true);
    expect(nested.legs?.map((l) => l.status)).toEqual(['new', 'held']);
    expect((await byId(parent.id as string)).legs).toBeUndefined();
    const open = await sdk.orders.getAllOrders({ status: 'open' });
    expect(open.map((o) => o.id)).toEqual([tp?.id]);
    const closedNested = await sdk.orders.getAllOrders({ status: 'closed', nested: true });
    expect(closedNested.map((o) => o.id)).toEqual([parent.id]);
    expect(closedNested[0]?.legs?.map((l) => l.id)).toEqual([tp?.id, sl?.id]);
    const all = await sdk.orders.getAllOrders({ status: 'all' });
    expect(all).toHaveLength(3);
    const position = await sdk.positions.getOpenPosition({ symbolOrAssetId: 'AAPL' });
    expect(position.qtyAvailable).toBe('0');
  });

  it('a take-profit fill cancels the stop-loss', async () => {
    const parent = await bracket();
    const [tp, sl] = parent.legs ?? [];
    await stream.next(updateFor(tp?.id as string, 'new'));
    sim.setPrices({ AAPL: '200.5' });
    expect((await stream.next(updateFor(tp?.id as string, 'fill'))).price).toBe('200.5');
    await stream.next(updateFor(sl?.id as string, 'canceled'));
    await expect(sdk.positions.getAllOpenPositions()).resolves.toEqual([]);
  });

  it('a stop-loss trigger cancels the take-profit and the stop fills as a market order', async () => {
    const parent = await bracket({ stopLoss: { stopPrice: '180', limitPrice: '178' } });
    const [tp, sl] = parent.legs ?? [];
    expect(sl?.type).toBe('stop_limit');
    await stream.next(updateFor(tp?.id as string, 'new'));
    sim.setPrices({ AAPL: '181' });
    expect(eventsOf(sl?.id)).toEqual([]);
    sim.setPrices({ AAPL: '179' });
    const fill = await stream.next(updateFor(sl?.id as string, 'fill'));
    expect(fill.price).toBe('179');
    expect(fill.positionQty).toBe('0');
    expect(eventsOf(sl?.id)).toEqual(['new', 'fill']);
    expect(eventsOf(tp?.id)).toEqual(['new', 'canceled']);
  });

  it('legs wait while a limit entry rests; canceling the entry cancels the legs', async () => {
    const parent = await bracket({ type: 'limit', limitPrice: '185', timeInForce: 'gtc' });
    const [tp, sl] = parent.legs ?? [];
    await stream.next(updateFor(parent.id as string, 'new'));
    sim.setPrices({ AAPL: '170' });
    expect(eventsOf(sl?.id)).toEqual([]);
    const fill = await stream.next(updateFor(parent.id as string, 'fill'));
    expect(fill.price).toBe('170');
    // The stop is already through the market when the entry fills: it triggers at once.
    await stream.next(updateFor(sl?.id as string, 'fill'));
    expect(eventsOf(tp?.id)).toEqual(['new', 'canceled']);

    const resting = await bracket({
      type: 'limit',
      limitPrice: '165',
      takeProfit: { limitPrice: '200' },
      stopLoss: { stopPrice: '160' },
    });
    await stream.next(updateFor(resting.id as string, 'new'));
    await sdk.orders.deleteOrderByOrderID({ orderId: resting.id as string });
    for (const leg of resting.legs ?? []) await stream.next(updateFor(leg.id as string, 'canceled'));
    expect(eventsOf(resting.id)).toEqual(['pending_new', 'new', 'pending_cancel', 'canceled']);
  });

  it('canceling the active take-profit cancels the held stop-loss', async () => {
    const parent = await bracket();
    const [tp, sl] = parent.legs ?? [];
    await stream.next(updateFor(tp?.id as string, 'new'));
    await sdk.orders.deleteOrderByOrderID({ orderId: sl?.id as string });
    await stream.next(updateFor(tp?.id as string, 'canceled'));
    expect(eventsOf(sl?.id)).toEqual(['canceled']);
    expect((await sdk.positions.getOpenPosition({ symbolOrAssetId: 'AAPL' })).qtyAvailable).toBe('10');
  });

  it('a short bracket exits with a buy stop above and a take-profit below', async () => {
    const parent = await bracket({
      side: 'sell',
      takeProfit: { limitPrice: '180' },
      stopLoss: { stopPrice: '195' },
    });
    const [tp, sl] = parent.legs ?? [];
    expect(tp?.side).toBe('buy');
    await stream.next(updateFor(tp?.id as string, 'new'));
    sim.setPrices({ AAPL: '196' });
    expect((await stream.next(updateFor(sl?.id as string, 'fill'))).positionQty).toBe('0');
  });

  it('legs expire with the day through POST /_sim/eod', async () => {
    const parent = await bracket();
    const [tp, sl] = parent.legs ?? [];
    await stream.next(updateFor(tp?.id as string, 'new'));
    const res = await fetch(`${sim.tradingUrl}/_sim/eod`, {
      method: 'POST',
      headers: { 'APCA-API-KEY-ID': sim.keyId, 'APCA-API-SECRET-KEY': sim.secret },
    });
    expect(await res.json()).toMatchObject({ expired: 2 });
    await stream.next(updateFor(sl?.id as string, 'expired'));
  });

  it('replacing a member of an advanced order is refused', async () => {
    const parent = await bracket();
    const [tp] = parent.legs ?? [];
    await stream.next(updateFor(tp?.id as string, 'new'));
    await expect(
      sdk.orders.patchOrderByOrderId({ orderId: tp?.id as string, patchOrderRequest: { limitPrice: '201' } }),
    ).rejects.toMatchObject({ status: 422 });
  });
});

describe('OTO and OCO orders', () => {
  it('an OTO stop-loss goes new once the entry fills and works as a plain stop', async () => {
    const parent = await submit({ qty: '5', orderClass: 'oto', stopLoss: { stopPrice: '185' } });
    const [sl] = parent.legs ?? [];
    expect(parent.legs).toHaveLength(1);
    await stream.next(updateFor(sl?.id as string, 'new'));
    expect((await sdk.orders.getAllOrders({})).map((o) => o.id)).toEqual([sl?.id]);
    sim.setPrices({ AAPL: '184' });
    await stream.next(updateFor(sl?.id as string, 'fill'));
  });

  it('an OTO take-profit goes new once the entry fills', async () => {
    const parent = await submit({ qty: '5', orderClass: 'oto', takeProfit: { limitPrice: '195' } });
    const [tp] = parent.legs ?? [];
    await stream.next(updateFor(tp?.id as string, 'new'));
    sim.setPrices({ AAPL: '195' });
    await stream.next(updateFor(tp?.id as string, 'fill'));
  });

  it('an OCO exit works its take-profit at once with an armed stop-loss; either one cancels the other', async () => {
    sim.broker.reset(dec('100000'), [{ symbol: 'AAPL', qty: dec('20'), avgEntry: dec('150') }]);
    const oco = (tp: string, sl: string) =>
      submit({
        qty: '10',
        side: 'sell',
        type: 'limit',
        orderClass: 'oco',
        takeProfit: { limitPrice: tp },
        stopLoss: { stopPrice: sl },
      });
    const first = await oco('200', '180');
    expect(first).toMatchObject({ type: 'limit', limitPrice: '200', orderClass: 'oco' });
    const [firstSl] = first.legs ?? [];
    expect(firstSl).toMatchObject({ type: 'stop', side: 'sell', status: 'held' });
    await stream.next(updateFor(first.id as string, 'new'));
    const second = await oco('205', '181');
    const [secondSl] = second.legs ?? [];
    expect((await sdk.positions.getOpenPosition({ symbolOrAssetId: 'AAPL' })).qtyAvailable).toBe('0');
    sim.setPrices({ AAPL: '200' });
    await stream.next(updateFor(first.id as string, 'fill'));
    await stream.next(updateFor(firstSl?.id as string, 'canceled'));
    sim.setPrices({ AAPL: '180.5' });
    await stream.next(updateFor(secondSl?.id as string, 'fill'));
    expect(eventsOf(second.id)).toEqual(['pending_new', 'new', 'canceled']);
    await expect(sdk.positions.getAllOpenPositions()).resolves.toEqual([]);
  });
});

describe('wash-trade exemption', () => {
  it('complex orders and their legs are exempt; simple orders on the other side are not', async () => {
    sim.broker.reset(dec('100000'), [{ symbol: 'AAPL', qty: dec('5'), avgEntry: dec('150') }]);
    await submit({ qty: '5', side: 'sell', type: 'limit', limitPrice: '195' });
    await expect(submit({ qty: '1' })).rejects.toMatchObject({
      status: 403,
      message: 'potential wash trade detected. use complex orders',
    });
    const parent = await bracket({ qty: '2' });
    await stream.next(updateFor(parent.id as string, 'fill'));
    sim.broker.reset(dec('100000'), []);
    const again = await bracket({ qty: '2' });
    await stream.next(updateFor(again.legs?.[0]?.id as string, 'new'));
    // The active take-profit (a sell limit) does not block a simple market buy.
    const simple = await submit({ qty: '1' });
    expect(simple.status).toBe('pending_new');
  });
});

describe('brackets with partial fills', () => {
  it('legs activate only after the entry is completely filled; a partial take-profit resizes the stop-loss', async () => {
    const partial = await startSimulator({ spread: '0', rateLimit: 0, partialFillProbability: 1, seed: 3 });
    const s = await openStream(partial);
    try {
      partial.setPrices({ AAPL: '190' });
      const parent = await sdkFor(partial).orders.postOrder({
        postOrderRequest: {
          symbol: 'AAPL',
          qty: '10',
          side: 'buy',
          type: 'market',
          timeInForce: 'gtc',
          orderClass: 'bracket',
          takeProfit: { limitPrice: '200' },
          stopLoss: { stopPrice: '180' },
        },
      });
      const [tp, sl] = parent.legs ?? [];
      await s.next(updateFor(tp?.id as string, 'new'));
      const sequence = s.updates.map((u) => (u.order.id === parent.id ? u.event : `tp:${u.event}`));
      expect(sequence.filter((e) => e === 'partial_fill').length).toBeGreaterThan(0);
      expect(sequence.indexOf('tp:new')).toBe(sequence.indexOf('fill') + 1);
      partial.setPrices({ AAPL: '200' });
      const canceled = await s.next(updateFor(sl?.id as string, 'canceled'));
      expect(Number(canceled.order.qty)).toBeLessThan(10);
      const tpEvents = s.updates.filter((u) => u.order.id === tp?.id).map((u) => u.event);
      expect(tpEvents).toContain('partial_fill');
      expect(tpEvents.at(-1)).toBe('fill');
    } finally {
      s.close();
      await partial.stop();
    }
  });
});
