/**
 * Alpaca wire JSON -> domain, for orders, trade updates and FILL activities. The adapter reads
 * the raw response body (not the SDK's camelCase models) so nanosecond timestamps and decimal
 * strings arrive exactly as the broker wrote them; the account-side mappers live in
 * alpaca-account-mappers.ts, the request side in alpaca-requests.ts.
 * Must preserve: every field is validated where it is read; a bad value is a WireDataError
 * naming the field, never NaN, an invalid date or a guessed default.
 */
import { ORDER_SIDES, ORDER_STATUSES, ORDER_TYPES, type Order, TIME_IN_FORCE } from '../../core/order.js';
import type { FillActivity, TradeUpdate } from '../../ports/broker.js';
import { WireDataError, WireReader } from './wire-reader.js';

/** An Alpaca Order object (REST response, stream payload or a 207 element body). */
export function mapOrder(value: unknown, path = 'order'): Order {
  const w = WireReader.of(value, path);
  return {
    id: w.nonEmpty('id'),
    clientOrderId: w.nonEmpty('client_order_id'),
    symbol: w.nonEmpty('symbol'),
    assetClass: w.stringOrNull('asset_class') ?? 'us_equity',
    side: w.oneOf('side', ORDER_SIDES),
    type: w.oneOf(w.has('type') ? 'type' : 'order_type', ORDER_TYPES),
    timeInForce: w.oneOf('time_in_force', TIME_IN_FORCE),
    orderClass: w.stringOrNull('order_class') ?? '',
    qty: w.decimalOrNull('qty'),
    notional: w.decimalOrNull('notional'),
    filledQty: w.decimal('filled_qty'),
    filledAvgPrice: w.decimalOrNull('filled_avg_price'),
    limitPrice: w.decimalOrNull('limit_price'),
    stopPrice: w.decimalOrNull('stop_price'),
    trailPrice: w.decimalOrNull('trail_price'),
    trailPercent: w.decimalOrNull('trail_percent'),
    extendedHours: w.boolOrFalse('extended_hours'),
    status: w.oneOf('status', ORDER_STATUSES),
    createdAt: w.timestamp('created_at'),
    updatedAt: w.timestampOrNull('updated_at'),
    submittedAt: w.timestampOrNull('submitted_at'),
    filledAt: w.timestampOrNull('filled_at'),
    canceledAt: w.timestampOrNull('canceled_at'),
    expiredAt: w.timestampOrNull('expired_at'),
    failedAt: w.timestampOrNull('failed_at'),
    replacedAt: w.timestampOrNull('replaced_at'),
    replacedBy: w.stringOrNull('replaced_by'),
    replaces: w.stringOrNull('replaces'),
  };
}

export function mapOrders(value: unknown, path = 'orders'): Order[] {
  return WireReader.array(value, path).map((item, i) => mapOrder(item, `${path}[${i}]`));
}

const EXECUTION_EVENTS = new Set(['fill', 'partial_fill']);

/**
 * The `data` of a trade_updates frame. Executions must carry execution_id, price, qty and
 * position_qty; an event without its own timestamp (Alpaca omits it on some events) takes the
 * order's last change time.
 */
export function mapTradeUpdate(value: unknown, path = 'trade_update'): TradeUpdate {
  const w = WireReader.of(value, path);
  const event = w.nonEmpty('event');
  const order = mapOrder(w.raw.order, w.field('order'));
  const execution = EXECUTION_EVENTS.has(event);
  return {
    event,
    order,
    at: w.timestampOrNull('timestamp') ?? order.updatedAt ?? order.submittedAt ?? order.createdAt,
    executionId: execution ? w.nonEmpty('execution_id') : w.stringOrNull('execution_id'),
    price: execution ? w.decimal('price') : w.decimalOrNull('price'),
    qty: execution ? w.decimal('qty') : w.decimalOrNull('qty'),
    positionQty: execution ? w.decimal('position_qty') : w.decimalOrNull('position_qty'),
  };
}

const ACTIVITY_SIDES = ['buy', 'sell', 'sell_short'] as const;

/** One FILL account activity (one per execution, partial or full). */
export function mapFillActivity(value: unknown, path = 'activity'): FillActivity {
  const w = WireReader.of(value, path);
  const activityType = w.string('activity_type');
  if (activityType !== 'FILL')
    throw new WireDataError(w.field('activity_type'), activityType, 'expected FILL');
  const activityId = w.nonEmpty('id');
  return {
    executionId: activityId,
    activityId,
    orderId: w.nonEmpty('order_id'),
    clientOrderId: null,
    symbol: w.nonEmpty('symbol'),
    // Activities say "sell_short" for a sell that opens or grows a short; the order side is sell.
    side: w.oneOf('side', ACTIVITY_SIDES) === 'buy' ? 'buy' : 'sell',
    qty: w.decimal('qty'),
    price: w.decimal('price'),
    at: w.timestamp('transaction_time'),
    positionQty: null,
    cumQty: w.decimal('cum_qty'),
    source: 'activity',
  };
}

export function mapFillActivities(value: unknown, path = 'activities'): FillActivity[] {
  return WireReader.array(value, path).map((item, i) => mapFillActivity(item, `${path}[${i}]`));
}
