// The Alpaca adapter against the real simulator (src/sim) over loopback: REST through the SDK's
// generated classes, the trade_updates stream through the SDK's TradingStream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlpacaAdapter, createAlpacaBroker } from '../../../src/adapters/alpaca/create-alpaca-broker.js';
import type { OrderRequest } from '../../../src/core/order-request.js';
import { BrokerError, type StreamState, type TradeUpdate } from '../../../src/ports/broker.js';
import { type RunningSimulator, startSimulator } from '../../../src/sim/server.js';

let sim: RunningSimulator;
let adapter: AlpacaAdapter;
const updates: TradeUpdate[] = [];
const states: Array<[StreamState, string | undefined]> = [];
const handlers = {
  onUpdate: (u: TradeUpdate) => void updates.push(u),
  onState: (s: StreamState, d?: string) => void states.push([s, d]),
};

function adapterFor(s: RunningSimulator, keys?: { keyId: string; secret: string }): AlpacaAdapter {
  return createAlpacaBroker({
    tradingBaseUrl: s.tradingUrl,
    streamUrl: s.streamUrl,
    dataBaseUrl: s.dataUrl,
    keyId: keys?.keyId ?? s.keyId,
    secret: keys?.secret ?? s.secret,
    dataFeed: 'iex',
    retry: { maxRetries: 0 },
  });
}

async function control(path: string, body: unknown = {}): Promise<unknown> {
  const res = await fetch(`${sim.tradingUrl}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'APCA-API-KEY-ID': sim.keyId,
      'APCA-API-SECRET-KEY': sim.secret,
    },
    body: JSON.stringify(body),
  });
  expect(res.ok).toBe(true);
  return res.json();
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function market(clientOrderId: string, side: 'buy' | 'sell', qty: string, symbol = 'AAPL'): OrderRequest {
  return { symbol, side, type: 'market', qty, timeInForce: 'day', extendedHours: false, clientOrderId };
}

async function brokerError(promise: Promise<unknown>): Promise<BrokerError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BrokerError);
  return err as BrokerError;
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 7 });
  adapter = adapterFor(sim);
  await adapter.tradeStream.connect(handlers);
});

afterAll(async () => {
  await adapter?.tradeStream.close();
  await sim?.stop();
});

describe('Alpaca adapter against the simulator', () => {
  it('reads the account, clock, an asset, quotes and history', async () => {
    const account = await adapter.broker.getAccount();
    expect(account.status).toBe('ACTIVE');
    expect(account.cash).toBe('100000');
    expect(typeof (await adapter.broker.getClock()).isOpen).toBe('boolean');
    expect((await adapter.broker.getAsset('AAPL'))?.tradable).toBe(true);
    expect(await adapter.broker.getAsset('NOPE123')).toBeNull();
    const quotes = await adapter.broker.getQuotes(['AAPL', 'NOPE123']);
    expect(quotes.get('AAPL')?.ask).toMatch(/^\d+(\.\d+)?$/);
    expect(quotes.has('NOPE123')).toBe(false);
    expect(Array.isArray(await adapter.broker.getPortfolioHistory({ period: '1D', timeframe: '1Min' }))).toBe(
      true,
    );
    expect(states.map(([s]) => s)).toContain('listening');
  });

  it('a market buy fills: stream update, position, order and FILL activity agree', async () => {
    const order = await adapter.broker.submitOrder(market('ctr-draft-sim-1', 'buy', '5'));
    expect(order.clientOrderId).toBe('ctr-draft-sim-1');
    const fill = await until(
      () => updates.find((u) => u.order.id === order.id && u.event === 'fill'),
      'the fill event',
    );
    expect(fill).toMatchObject({ qty: '5', positionQty: '5' });
    expect(fill.executionId).toBeTruthy();
    const positions = await adapter.broker.listPositions();
    expect(positions.find((p) => p.symbol === 'AAPL')?.qty).toBe('5');
    expect((await adapter.broker.getOrderByClientOrderId('ctr-draft-sim-1'))?.status).toBe('filled');
    const page = await adapter.broker.listFillActivities({});
    const activity = page.fills.find((f) => f.orderId === order.id);
    expect(activity).toMatchObject({ qty: '5', cumQty: '5', side: 'buy', price: fill.price });
  });

  it('a second submit with the same client order id returns the first order, never a second one', async () => {
    const again = await adapter.broker.submitOrder(market('ctr-draft-sim-1', 'buy', '5'));
    expect(again.status).toBe('filled');
    const all = await adapter.broker.listOrders({ status: 'all', limit: 500 });
    expect(all.filter((o) => o.clientOrderId === 'ctr-draft-sim-1')).toHaveLength(1);
  });

  it('maps the simulator errors: buying power, unknown order, bad keys', async () => {
    expect(
      (await brokerError(adapter.broker.submitOrder(market('ctr-draft-sim-big', 'buy', '1000000')))).code,
    ).toBe('insufficient_buying_power');
    expect(await adapter.broker.getOrder('00000000-0000-4000-8000-000000000000')).toBeNull();
    expect((await brokerError(adapter.broker.cancelOrder('00000000-0000-4000-8000-000000000000'))).code).toBe(
      'not_found',
    );
    const stranger = adapterFor(sim, { keyId: 'WRONG', secret: 'WRONG' });
    expect((await brokerError(stranger.broker.getAccount())).code).toBe('unauthorized');
  });

  it('the stream refuses bad keys (unauthorized) and a second connection per key (rate_limited)', async () => {
    const idle = { onUpdate: () => {}, onState: () => {} };
    const second = await brokerError(adapterFor(sim).tradeStream.connect(idle));
    expect(second.code).toBe('rate_limited');
    const other = await startSimulator({ seed: 8 });
    try {
      const stranger = adapterFor(other, { keyId: 'WRONG', secret: 'WRONG' });
      const err = await brokerError(stranger.tradeStream.connect(idle));
      expect(err.code).toBe('unauthorized');
      expect(err.message).toContain('access key verification failed');
    } finally {
      await other.stop();
    }
  });

  it('a resting limit order is canceled and the stream says so', async () => {
    const limit: OrderRequest = {
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      limitPrice: '1',
      qty: '1',
      timeInForce: 'day',
      extendedHours: false,
      clientOrderId: 'ctr-draft-sim-limit',
    };
    const order = await adapter.broker.submitOrder(limit);
    await adapter.broker.cancelOrder(order.id);
    await until(
      () => updates.find((u) => u.order.id === order.id && u.event === 'canceled'),
      'the canceled event',
    );
  });

  it('a submit answered by a 500 is settled by lookup and reported ambiguous, never re-sent', async () => {
    await control('/_sim/faults', { rest_error_rate: 1, rest_error_status: 500 });
    try {
      const err = await brokerError(adapter.broker.submitOrder(market('ctr-draft-sim-500', 'buy', '1')));
      expect(err.code).toBe('ambiguous');
    } finally {
      await control('/_sim/faults', {});
    }
    expect(await adapter.broker.getOrderByClientOrderId('ctr-draft-sim-500')).toBeNull();
  });

  it('suspends trading, cancels all orders and closes all positions with per-symbol results', async () => {
    await adapter.broker.setTradeSuspended(true);
    expect((await adapter.broker.getAccount()).tradeSuspendedByUser).toBe(true);
    await adapter.broker.setTradeSuspended(false);
    await adapter.broker.submitOrder({
      symbol: 'MSFT',
      side: 'buy',
      type: 'limit',
      limitPrice: '1',
      qty: '1',
      timeInForce: 'day',
      extendedHours: false,
      clientOrderId: 'ctr-draft-sim-rest',
    });
    const canceled = await adapter.broker.cancelAllOrders({ lane: 'kill_switch' });
    expect(canceled.length).toBeGreaterThanOrEqual(1);
    expect(canceled.every((c) => c.ok)).toBe(true);
    const closed = await adapter.broker.closeAllPositions(true, { lane: 'kill_switch' });
    expect(closed.map((c) => [c.symbol, c.ok])).toEqual([['AAPL', true]]);
    expect(closed[0]?.order?.side).toBe('sell');
    await until(async () => ((await adapter.broker.listPositions()).length === 0 ? true : undefined), 'flat');
  });

  it('a dropped stream is reported disconnected; reconnecting is the caller’s move', async () => {
    await control('/_sim/stream/drop');
    await until(() => (states.at(-1)?.[0] === 'disconnected' ? true : undefined), 'disconnected');
    await adapter.tradeStream.connect(handlers);
    expect(states.at(-1)?.[0]).toBe('listening');
    const order = await adapter.broker.submitOrder(market('ctr-draft-sim-after-drop', 'buy', '1', 'MSFT'));
    await until(
      () => updates.find((u) => u.order.id === order.id && u.event === 'fill'),
      'a fill after reconnect',
    );
  });
});
