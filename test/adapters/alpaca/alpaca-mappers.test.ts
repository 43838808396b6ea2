import { describe, expect, it } from 'vitest';
import {
  mapAccount,
  mapAsset,
  mapCancelResults,
  mapClock,
  mapCloseResults,
  mapHistory,
  mapPositions,
  mapQuotes,
} from '../../../src/adapters/alpaca/alpaca-account-mappers.js';
import { mapFillActivity, mapOrder, mapTradeUpdate } from '../../../src/adapters/alpaca/alpaca-mappers.js';
import { toPostOrderRequest } from '../../../src/adapters/alpaca/alpaca-requests.js';
import { WireDataError } from '../../../src/adapters/alpaca/wire-reader.js';
import { BrokerError } from '../../../src/ports/broker.js';
import { wireAccount, wireFillActivity, wireOrder, wirePosition } from './harness.js';

function badData(fn: () => unknown): WireDataError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WireDataError);
    expect(err).toBeInstanceOf(BrokerError);
    expect((err as BrokerError).code).toBe('bad_data');
    return err as WireDataError;
  }
  throw new Error('expected a WireDataError');
}

describe('order mapping', () => {
  it('maps an Alpaca order with canonical decimals and nanosecond timestamps kept', () => {
    const order = mapOrder(wireOrder());
    expect(order).toMatchObject({
      id: '61e69015-8549-4bfd-b9c3-01e75843f47d',
      clientOrderId: 'ctr-draft-d1',
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      timeInForce: 'day',
      orderClass: '',
      qty: '64',
      notional: null,
      filledQty: '0',
      filledAvgPrice: null,
      limitPrice: '212.84',
      status: 'new',
      createdAt: '2026-08-03T13:31:02.118544123Z',
      updatedAt: '2026-08-03T13:31:02.409871Z',
      filledAt: null,
      extendedHours: false,
    });
  });

  it('falls back to order_type when type is absent and treats a missing extended_hours as false', () => {
    const raw = wireOrder({
      type: undefined,
      order_type: 'market',
      extended_hours: undefined,
      limit_price: null,
    });
    const order = mapOrder(raw);
    expect(order.type).toBe('market');
    expect(order.extendedHours).toBe(false);
  });

  it('fails loudly, naming the field, on an unparseable price', () => {
    const err = badData(() => mapOrder(wireOrder({ filled_avg_price: 'abc' })));
    expect(err.field).toBe('order.filled_avg_price');
    expect(err.message).toContain('"abc"');
  });

  it('fails loudly on an invalid timestamp instead of carrying an invalid date', () => {
    expect(badData(() => mapOrder(wireOrder({ created_at: 'yesterday' }))).field).toBe('order.created_at');
    expect(badData(() => mapOrder(wireOrder({ updated_at: '2026-13-45T99:00:00Z' }))).field).toBe(
      'order.updated_at',
    );
  });

  it('fails loudly on an unknown status, a missing id or a non-object', () => {
    expect(badData(() => mapOrder(wireOrder({ status: 'teleported' }))).field).toBe('order.status');
    expect(badData(() => mapOrder(wireOrder({ id: '' }))).field).toBe('order.id');
    expect(badData(() => mapOrder(wireOrder({ filled_qty: undefined }))).field).toBe('order.filled_qty');
    expect(badData(() => mapOrder(wireOrder({ extended_hours: 'no' }))).field).toBe('order.extended_hours');
    expect(badData(() => mapOrder([])).field).toBe('order');
  });
});

describe('trade update mapping', () => {
  const fill = {
    event: 'fill',
    execution_id: '2f63ea93-423d-4169-b3f6-3fdafc10c418',
    timestamp: '2026-08-03T13:31:02.401233987Z',
    price: '212.840',
    qty: '64',
    position_qty: '64',
    order: wireOrder({ status: 'filled', filled_qty: '64', filled_avg_price: '212.84' }),
  };

  it('maps a fill with the execution fields and the raw nanosecond timestamp', () => {
    const update = mapTradeUpdate(fill);
    expect(update).toMatchObject({
      event: 'fill',
      at: '2026-08-03T13:31:02.401233987Z',
      executionId: '2f63ea93-423d-4169-b3f6-3fdafc10c418',
      price: '212.84',
      qty: '64',
      positionQty: '64',
    });
    expect(update.order.status).toBe('filled');
  });

  it('maps a non-execution event without timestamp to the order change time', () => {
    const update = mapTradeUpdate({ event: 'new', order: wireOrder(), execution_id: null });
    expect(update).toMatchObject({
      event: 'new',
      executionId: null,
      price: null,
      qty: null,
      positionQty: null,
    });
    expect(update.at).toBe('2026-08-03T13:31:02.409871Z');
  });

  it('rejects an execution without execution_id or with a bad price', () => {
    expect(badData(() => mapTradeUpdate({ ...fill, execution_id: null })).field).toBe(
      'trade_update.execution_id',
    );
    expect(badData(() => mapTradeUpdate({ ...fill, price: 'NaN' })).field).toBe('trade_update.price');
    expect(badData(() => mapTradeUpdate({ ...fill, order: null })).field).toBe('trade_update.order');
  });
});

describe('FILL activity mapping', () => {
  it('maps an activity, keeping its id as the execution id and its cumulative quantity', () => {
    expect(mapFillActivity(wireFillActivity())).toEqual({
      executionId: '20260803093102401::8efc7b9a-8b2b-4000-9955-d36e7db0df74',
      activityId: '20260803093102401::8efc7b9a-8b2b-4000-9955-d36e7db0df74',
      orderId: '61e69015-8549-4bfd-b9c3-01e75843f47d',
      clientOrderId: null,
      symbol: 'AAPL',
      side: 'buy',
      qty: '64',
      price: '212.84',
      at: '2026-08-03T13:31:02.401233Z',
      positionQty: null,
      cumQty: '64',
      source: 'activity',
    });
  });

  it('reads sell_short as a sell and rejects other activity types', () => {
    expect(mapFillActivity(wireFillActivity({ side: 'sell_short' })).side).toBe('sell');
    expect(badData(() => mapFillActivity(wireFillActivity({ activity_type: 'DIV' }))).field).toBe(
      'activity.activity_type',
    );
    expect(badData(() => mapFillActivity(wireFillActivity({ transaction_time: 12 }))).field).toBe(
      'activity.transaction_time',
    );
  });
});

describe('account-side mapping', () => {
  it('maps the account snapshot', () => {
    const snap = mapAccount(wireAccount(), '2026-08-03T13:30:00.000Z');
    expect(snap).toMatchObject({
      at: '2026-08-03T13:30:00.000Z',
      status: 'ACTIVE',
      cash: '86378.24',
      equity: '100070.4',
      lastEquity: '100000',
      buyingPower: '186448.64',
      multiplier: '2',
      shortingEnabled: true,
      tradeSuspendedByUser: false,
      source: 'sync',
    });
    expect(badData(() => mapAccount(wireAccount({ equity: '1,000' }), 'x')).field).toBe('account.equity');
  });

  it('maps positions with their index in the path on bad data', () => {
    const [pos] = mapPositions([wirePosition()], '2026-08-03T13:30:00.000Z');
    expect(pos).toMatchObject({
      symbol: 'AAPL',
      qty: '64',
      side: 'long',
      avgEntryPrice: '212.84',
      provenance: 'rest',
    });
    const err = badData(() => mapPositions([wirePosition(), wirePosition({ qty: null })], 'x'));
    expect(err.field).toBe('positions[1].qty');
    expect(badData(() => mapPositions({}, 'x')).field).toBe('positions');
  });

  it('maps clock and asset', () => {
    expect(
      mapClock({
        timestamp: '2026-08-03T10:07:04.451420928-04:00',
        is_open: true,
        next_open: '2026-08-04T09:30:00-04:00',
        next_close: '2026-08-03T16:00:00-04:00',
      }),
    ).toEqual({
      at: '2026-08-03T14:07:04.451420928Z',
      isOpen: true,
      nextOpen: '2026-08-04T13:30:00.000Z',
      nextClose: '2026-08-03T20:00:00.000Z',
    });
    expect(
      mapAsset({
        symbol: 'AAPL',
        name: 'Apple',
        status: 'active',
        tradable: true,
        fractionable: true,
        shortable: true,
      }),
    ).toEqual({
      symbol: 'AAPL',
      name: 'Apple',
      status: 'active',
      tradable: true,
      fractionable: true,
      shortable: true,
      easyToBorrow: false,
    });
  });

  it('joins latest trades and quotes per symbol; a zero bid is no bid', () => {
    const quotes = mapQuotes(
      { trades: { AAPL: { t: '2026-08-03T13:31:00.5Z', p: 213.94 } } },
      {
        quotes: {
          AAPL: { t: '2026-08-03T13:31:01.25Z', bp: 213.93, ap: 213.95 },
          MSFT: { t: '2026-08-03T13:31:01Z', bp: 0, ap: 420.1 },
        },
      },
    );
    expect(quotes.get('AAPL')).toEqual({
      symbol: 'AAPL',
      lastPrice: '213.94',
      bid: '213.93',
      ask: '213.95',
      at: '2026-08-03T13:31:01.250Z',
    });
    expect(quotes.get('MSFT')).toMatchObject({ lastPrice: null, bid: null, ask: '420.1' });
    expect(badData(() => mapQuotes({ trades: { X: { p: 'x' } } }, { quotes: {} })).field).toBe(
      'latest_trades.trades.X.p',
    );
  });

  it('maps portfolio history, skipping null equity points', () => {
    expect(
      mapHistory({
        timestamp: [1785763800, 1785764700],
        equity: [100000.5, null],
        profit_loss: [0.5, null],
        base_value: 100000,
        timeframe: '15Min',
      }),
    ).toEqual([{ at: '2026-08-03T13:30:00.000Z', equity: '100000.5', profitLoss: '0.5' }]);
    expect(badData(() => mapHistory({ timestamp: [1], equity: [] })).field).toBe('portfolio_history.equity');
    expect(badData(() => mapHistory({ timestamp: ['x'], equity: [1] })).field).toBe(
      'portfolio_history.timestamp[0]',
    );
  });

  it('maps 207 close-all and cancel-all bodies item by item', () => {
    const closed = mapCloseResults([
      { symbol: 'AAPL', status: 200, body: wireOrder({ side: 'sell', type: 'market', limit_price: null }) },
      {
        symbol: 'EWY',
        status: 403,
        body: {
          code: 40310000,
          message: 'insufficient qty available for order (requested: 106, available: 0)',
        },
      },
    ]);
    expect(closed[0]).toMatchObject({ symbol: 'AAPL', ok: true, error: null });
    expect(closed[0]?.order?.side).toBe('sell');
    expect(closed[1]).toEqual({
      symbol: 'EWY',
      ok: false,
      order: null,
      error: 'HTTP 403: insufficient qty available for order (requested: 106, available: 0)',
    });
    expect(
      mapCancelResults([
        { id: 'o1', status: 200 },
        { id: 'o2', status: 500 },
      ]),
    ).toEqual([
      { orderId: 'o1', ok: true, error: null },
      { orderId: 'o2', ok: false, error: 'HTTP 500' },
    ]);
    expect(badData(() => mapCancelResults([{ id: 'o1', status: '200' }])).field).toBe('cancel_all[0].status');
  });
});

describe('order request mapping', () => {
  const base = { symbol: 'AAPL', side: 'buy' as const, timeInForce: 'day' as const, extendedHours: false };

  it('sends the deterministic client order id and exactly the prices of the order type', () => {
    expect(toPostOrderRequest({ ...base, qty: '1', type: 'market', clientOrderId: 'ctr-draft-1' })).toEqual({
      symbol: 'AAPL',
      side: 'buy',
      type: 'market',
      timeInForce: 'day',
      clientOrderId: 'ctr-draft-1',
      qty: '1',
    });
    expect(
      toPostOrderRequest({ ...base, notional: '500', type: 'limit', limitPrice: '10.5', clientOrderId: 'c' }),
    ).toMatchObject({ notional: '500', limitPrice: '10.5' });
    expect(
      toPostOrderRequest({
        ...base,
        qty: '1',
        type: 'stop_limit',
        stopPrice: '9',
        limitPrice: '8.9',
        extendedHours: true,
        clientOrderId: 'c',
      }),
    ).toMatchObject({ stopPrice: '9', limitPrice: '8.9', extendedHours: true });
    expect(
      toPostOrderRequest({ ...base, qty: '1', type: 'stop', stopPrice: '9', clientOrderId: 'c' }),
    ).toMatchObject({
      stopPrice: '9',
    });
    expect(
      toPostOrderRequest({ ...base, qty: '1', type: 'trailing_stop', trailPercent: '2', clientOrderId: 'c' }),
    ).toMatchObject({ trailPercent: '2' });
    expect(
      toPostOrderRequest({ ...base, qty: '1', type: 'trailing_stop', trailPrice: '0.5', clientOrderId: 'c' }),
    ).toMatchObject({ trailPrice: '0.5' });
  });
});
