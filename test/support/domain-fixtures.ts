/** Domain objects for tests, with sensible defaults and overrides. */
import type { Order } from '../../src/core/order.js';

/** A working limit buy of 10 AAPL; override what the test is about. */
export function order(overrides: Partial<Order> = {}): Order {
  return {
    id: 'o-1',
    clientOrderId: 'c-1',
    symbol: 'AAPL',
    assetClass: 'us_equity',
    side: 'buy',
    type: 'limit',
    timeInForce: 'day',
    orderClass: '',
    qty: '10',
    notional: null,
    filledQty: '0',
    filledAvgPrice: null,
    limitPrice: '190',
    stopPrice: null,
    trailPrice: null,
    trailPercent: null,
    extendedHours: false,
    status: 'pending_new',
    createdAt: '2026-08-03T13:31:02.100000Z',
    updatedAt: '2026-08-03T13:31:02.100000Z',
    submittedAt: '2026-08-03T13:31:02.100000Z',
    filledAt: null,
    canceledAt: null,
    expiredAt: null,
    failedAt: null,
    replacedAt: null,
    replacedBy: null,
    replaces: null,
    ...overrides,
  };
}
