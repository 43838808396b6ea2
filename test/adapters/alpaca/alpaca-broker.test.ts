import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../../src/core/order-request.js';
import { BrokerError } from '../../../src/ports/broker.js';
import { harness, json, wireAccount, wireFillActivity, wireOrder, wirePosition } from './harness.js';

const request: OrderRequest = {
  symbol: 'AAPL',
  side: 'buy',
  type: 'limit',
  limitPrice: '212.84',
  qty: '64',
  timeInForce: 'day',
  extendedHours: false,
  clientOrderId: 'ctr-draft-d1',
};

async function brokerError(promise: Promise<unknown>): Promise<BrokerError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BrokerError);
  return err as BrokerError;
}

describe('AlpacaBroker reads', () => {
  it('sends the credentials to the configured base path and maps the account', async () => {
    const h = harness([{ method: 'GET', path: '/v2/account', body: wireAccount() }]);
    const account = await h.broker.getAccount();
    expect(account).toMatchObject({ equity: '100070.4', at: '2026-08-03T13:30:00.000Z' });
    expect(h.sent[0]?.headers['apca-api-key-id']).toBe('KEY');
    expect(h.sent[0]?.headers['apca-api-secret-key']).toBe('SECRET');
  });

  it('lists positions and orders with the query on the wire', async () => {
    const h = harness([
      { method: 'GET', path: '/v2/positions', body: [wirePosition()] } as never,
      {
        method: 'GET',
        path: '/v2/orders',
        body: [wireOrder(), wireOrder({ id: 'o2', client_order_id: 'c2' })],
      },
    ]);
    expect((await h.broker.listPositions())[0]?.symbol).toBe('AAPL');
    const orders = await h.broker.listOrders({
      status: 'all',
      after: '2026-08-03T13:00:00.123456Z',
      direction: 'asc',
      limit: 500,
      symbols: ['AAPL', 'MSFT'],
    });
    expect(orders.map((o) => o.id)).toEqual(['61e69015-8549-4bfd-b9c3-01e75843f47d', 'o2']);
    const q = h.sent[1]?.query;
    expect(q?.get('status')).toBe('all');
    expect(q?.get('after')).toBe('2026-08-03T13:00:00.123456Z');
    expect(q?.get('symbols')).toBe('AAPL,MSFT');
    expect(q?.get('limit')).toBe('500');
    expect(q?.get('direction')).toBe('asc');
  });

  it('answers null for an unknown order, client order id or asset', async () => {
    const h = harness([]);
    expect(await h.broker.getOrder('nope')).toBeNull();
    expect(await h.broker.getOrderByClientOrderId('nope')).toBeNull();
    expect(await h.broker.getAsset('NOPE')).toBeNull();
    expect(h.sent.map((r) => r.path)).toEqual([
      '/v2/orders/nope',
      '/v2/orders:by_client_order_id',
      '/v2/assets/NOPE',
    ]);
    expect(h.sent[1]?.query.get('client_order_id')).toBe('nope');
  });

  it('gets an order, the clock, an asset and portfolio history', async () => {
    const h = harness([
      { method: 'GET', path: /^\/v2\/orders\/[^/]+$/, body: wireOrder() },
      {
        method: 'GET',
        path: '/v2/clock',
        body: {
          timestamp: '2026-08-03T13:30:00Z',
          is_open: true,
          next_open: '2026-08-04T13:30:00Z',
          next_close: '2026-08-03T20:00:00Z',
        },
      },
      {
        method: 'GET',
        path: '/v2/assets/AAPL',
        body: {
          symbol: 'AAPL',
          name: 'Apple',
          status: 'active',
          tradable: true,
          fractionable: true,
          shortable: true,
          easy_to_borrow: true,
        },
      },
      {
        method: 'GET',
        path: '/v2/account/portfolio/history',
        body: {
          timestamp: [1785763800],
          equity: [100000],
          profit_loss: [0],
          base_value: 100000,
          timeframe: '1D',
        },
      },
    ]);
    expect((await h.broker.getOrder('61e69015'))?.clientOrderId).toBe('ctr-draft-d1');
    expect((await h.broker.getClock()).isOpen).toBe(true);
    expect((await h.broker.getAsset('AAPL'))?.easyToBorrow).toBe(true);
    expect(await h.broker.getPortfolioHistory({ period: '1M', timeframe: '1D' })).toHaveLength(1);
    expect(h.sent[3]?.query.get('period')).toBe('1M');
  });

  it('pages FILL activities ascending with page_token and says when there is more', async () => {
    const h = harness([
      {
        method: 'GET',
        path: '/v2/account/activities/FILL',
        respond: ({ url }) =>
          json(
            200,
            url.searchParams.get('page_token')
              ? []
              : [wireFillActivity(), wireFillActivity({ id: 'a2::x', cum_qty: '64' })],
          ),
      },
    ]);
    const first = await h.broker.listFillActivities({ after: '2026-08-03T13:00:00.000500Z', pageSize: 2 });
    expect(first.fills).toHaveLength(2);
    expect(first.nextPageToken).toBe('a2::x');
    const second = await h.broker.listFillActivities({ pageToken: 'a2::x', pageSize: 2 });
    expect(second).toEqual({ fills: [], nextPageToken: null });
    const q = h.sent[0]?.query;
    expect(q?.get('direction')).toBe('asc');
    expect(q?.get('page_size')).toBe('2');
    expect(q?.get('after')).toBe('2026-08-03T12:59:59.999Z');
    expect(h.sent[1]?.query.get('page_token')).toBe('a2::x');
  });

  it('gets latest trades and quotes from the data API with the configured feed', async () => {
    const h = harness([
      {
        method: 'GET',
        path: '/v2/stocks/trades/latest',
        body: { trades: { AAPL: { t: '2026-08-03T13:31:00Z', p: 213.94 } } },
      },
      {
        method: 'GET',
        path: '/v2/stocks/quotes/latest',
        body: { quotes: { AAPL: { t: '2026-08-03T13:31:00Z', bp: 213.93, ap: 213.95 } } },
      },
    ]);
    const quotes = await h.broker.getQuotes(['AAPL', 'ZZZZ']);
    expect(quotes.get('AAPL')).toMatchObject({ lastPrice: '213.94', bid: '213.93', ask: '213.95' });
    expect(quotes.has('ZZZZ')).toBe(false);
    expect(h.sent.every((r) => r.query.get('feed') === 'iex' && r.query.get('symbols') === 'AAPL,ZZZZ')).toBe(
      true,
    );
    expect(await h.broker.getQuotes([])).toEqual(new Map());
    expect(h.budget.available()).toBe(1000);
    expect(h.dataBudget.available()).toBe(998);
  });

  it('fails loudly on a body that is not JSON', async () => {
    const h = harness([{ method: 'GET', path: '/v2/account', body: 'not json' }]);
    expect((await brokerError(h.broker.getAccount())).code).toBe('bad_data');
  });
});

describe('AlpacaBroker mutations', () => {
  it('submits with the client order id and string amounts', async () => {
    const h = harness([{ method: 'POST', path: '/v2/orders', body: wireOrder({ status: 'accepted' }) }]);
    const order = await h.broker.submitOrder(request);
    expect(order.status).toBe('accepted');
    expect(h.sent[0]?.body).toEqual({
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      time_in_force: 'day',
      client_order_id: 'ctr-draft-d1',
      qty: '64',
      limit_price: '212.84',
    });
  });

  it('suspends trading through the account configuration', async () => {
    const h = harness([
      { method: 'PATCH', path: '/v2/account/configurations', body: { suspend_trade: true } },
    ]);
    await h.broker.setTradeSuspended(true);
    expect(h.sent[0]?.body).toEqual({ suspend_trade: true });
  });

  it('cancels one order (204) and all orders (207)', async () => {
    const h = harness([
      { method: 'DELETE', path: '/v2/orders/o1', status: 204 },
      {
        method: 'DELETE',
        path: '/v2/orders',
        status: 207,
        body: [
          { id: 'o1', status: 200 },
          { id: 'o2', status: 500 },
        ],
      },
    ]);
    await h.broker.cancelOrder('o1');
    expect(await h.broker.cancelAllOrders()).toEqual([
      { orderId: 'o1', ok: true, error: null },
      { orderId: 'o2', ok: false, error: 'HTTP 500' },
    ]);
  });

  it('closes one position by exact decimal qty or percentage, and all positions with cancel_orders', async () => {
    const sell = wireOrder({ side: 'sell', type: 'market', limit_price: null, qty: '0.000000001' });
    const h = harness([
      { method: 'DELETE', path: '/v2/positions/AAPL', body: sell },
      {
        method: 'DELETE',
        path: '/v2/positions',
        status: 207,
        body: [{ symbol: 'AAPL', status: 200, body: sell }],
      },
    ]);
    await h.broker.closePosition('AAPL', { qty: '0.000000001' });
    await h.broker.closePosition('AAPL', { percentage: '50' });
    await h.broker.closePosition('AAPL');
    const results = await h.broker.closeAllPositions(true);
    expect(results).toHaveLength(1);
    expect(results[0]?.ok).toBe(true);
    expect(h.sent[0]?.query.get('qty')).toBe('0.000000001');
    expect(h.sent[1]?.query.get('percentage')).toBe('50');
    expect([...(h.sent[2]?.query.keys() ?? [])]).toEqual([]);
    expect(h.sent[3]?.query.get('cancel_orders')).toBe('true');
  });
});
