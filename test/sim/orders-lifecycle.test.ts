// Order lifecycle through the official SDK: submit -> pending_new -> new -> fill, limit orders
// resting until the price crosses, stops, trailing stops, cancels, replaces and listing.
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
    sim.broker.state.portfolio.cash.constructor === undefined
      ? (null as never)
      : sim.broker.state.portfolio.cash.mul(0).plus(100000),
    [],
  );
  sim.setPrices({ AAPL: '190', MSFT: '420' });
});

describe('market orders', () => {
  it('answers pending_new and streams pending_new, new, fill with execution fields', async () => {
    const order = await sdk.orders.postOrder({
      postOrderRequest: {
        symbol: 'AAPL',
        qty: '10',
        side: 'buy',
        type: 'market',
        timeInForce: 'day',
        clientOrderId: 'mkt-1',
      },
    });
    expect(order.status).toBe('pending_new');
    expect(order.clientOrderId).toBe('mkt-1');
    const fill = await stream.next(updateFor(order.id as string, 'fill'));
    expect(fill.price).toBe('190');
    expect(fill.qty).toBe('10');
    expect(fill.positionQty).toBe('10');
    expect(fill.executionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fill.timestamp).toBeInstanceOf(Date);
    expect(fill.order.status).toBe('filled');
    expect(fill.order.filledAvgPrice).toBe('190');
    const events = stream.updates.filter((u) => u.order.id === order.id).map((u) => u.event);
    expect(events).toEqual(['pending_new', 'new', 'fill']);
    const account = await sdk.account.getAccount();
    expect(account.cash).toBe('98100');
  });
});
