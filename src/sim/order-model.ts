/**
 * The simulator's order record and its wire form (the Alpaca Order object of §2.4).
 * Must preserve: the wire form has every field of the reference, explicit nulls, decimals as strings,
 * RFC 3339 timestamps; `order_type` mirrors `type`; legs appear only when nested is asked for.
 */
import { Decimal, str } from '../core/decimal.js';

export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'] as const;
export const TIFS = ['day', 'gtc', 'opg', 'cls', 'ioc', 'fok'] as const;
export const SIDES = ['buy', 'sell'] as const;
export const ORDER_CLASSES = ['', 'simple', 'bracket', 'oco', 'oto'] as const;

export type OrderType = (typeof ORDER_TYPES)[number];
export type TimeInForce = (typeof TIFS)[number];
export type Side = (typeof SIDES)[number];
export type OrderClass = (typeof ORDER_CLASSES)[number];

export type OrderStatus =
  | 'new'
  | 'partially_filled'
  | 'filled'
  | 'done_for_day'
  | 'canceled'
  | 'expired'
  | 'replaced'
  | 'pending_cancel'
  | 'pending_replace'
  | 'accepted'
  | 'pending_new'
  | 'rejected'
  | 'held';

export const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'filled',
  'canceled',
  'expired',
  'replaced',
  'rejected',
]);

export interface SimOrder {
  id: string;
  clientOrderId: string;
  createdAt: number;
  updatedAt: number;
  submittedAt: number;
  filledAt: number | null;
  expiredAt: number | null;
  canceledAt: number | null;
  failedAt: number | null;
  replacedAt: number | null;
  replacedBy: string | null;
  replaces: string | null;
  cancelRequestedAt: number | null;
  expiresAt: number;
  symbol: string;
  assetId: string;
  qty: Decimal | null;
  notional: Decimal | null;
  filledQty: Decimal;
  /** Sum of price × qty over executions, for the average fill price. */
  filledValue: Decimal;
  type: OrderType;
  side: Side;
  tif: TimeInForce;
  limitPrice: Decimal | null;
  stopPrice: Decimal | null;
  trailPrice: Decimal | null;
  trailPercent: Decimal | null;
  hwm: Decimal | null;
  status: OrderStatus;
  extendedHours: boolean;
  /** Extended hours on an `overnight_tradable` asset (with overnight trading enabled): may trade overnight. */
  overnight: boolean;
  orderClass: OrderClass;
  /** Child order ids (bracket/oco/oto legs), in leg order. */
  legIds: string[];
  parentId: string | null;
  /** A stop or trailing stop whose trigger was hit (now works as market/limit). */
  triggered: boolean;
  /** Buying power held per unleft share (zero for orders that reduce a position). */
  reserveUnit: Decimal;
  /** For notional buys: the dollar amount reserved instead of a per-share price. */
  reserveNotional: Decimal | null;
  /** Buying power this order holds right now. */
  reserved: Decimal;
}

/** States in which an order works at the venue and can execute. */
export const WORKING_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'new',
  'partially_filled',
  'pending_cancel',
  'pending_replace',
]);

const BUY_STOP_LOW = new Decimal('1.04');
const BUY_STOP_HIGH = new Decimal('1.025');

/** §3.5: a buy stop works as a stop-limit, limit = stop × 1.04 under $50, × 1.025 from $50. */
export function buyStopLimit(stop: Decimal): Decimal {
  return stop.times(stop.lt(50) ? BUY_STOP_LOW : BUY_STOP_HIGH).toDecimalPlaces(2, Decimal.ROUND_DOWN);
}

export function isFinal(order: SimOrder): boolean {
  return FINAL_STATUSES.has(order.status);
}

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function decOrNullStr(value: Decimal | null): string | null {
  return value === null ? null : str(value);
}

export function avgFillPrice(order: SimOrder): Decimal | null {
  return order.filledQty.isZero() ? null : order.filledValue.div(order.filledQty).toDecimalPlaces(4);
}

/** The Order object on the wire; `legs` are resolved by the caller when nested. */
export function orderToWire(
  order: SimOrder,
  legs: Record<string, unknown>[] | null = null,
): Record<string, unknown> {
  const avg = avgFillPrice(order);
  return {
    id: order.id,
    client_order_id: order.clientOrderId,
    created_at: iso(order.createdAt),
    updated_at: iso(order.updatedAt),
    submitted_at: iso(order.submittedAt),
    filled_at: iso(order.filledAt),
    expired_at: iso(order.expiredAt),
    expires_at: iso(order.expiresAt),
    canceled_at: iso(order.canceledAt),
    failed_at: iso(order.failedAt),
    replaced_at: iso(order.replacedAt),
    replaced_by: order.replacedBy,
    replaces: order.replaces,
    cancel_requested_at: iso(order.cancelRequestedAt),
    asset_id: order.assetId,
    symbol: order.symbol,
    asset_class: 'us_equity',
    notional: decOrNullStr(order.notional),
    qty: decOrNullStr(order.qty),
    filled_qty: str(order.filledQty),
    filled_avg_price: avg === null ? null : str(avg),
    order_class: order.orderClass,
    order_type: order.type,
    type: order.type,
    side: order.side,
    time_in_force: order.tif,
    limit_price: decOrNullStr(order.limitPrice),
    stop_price: decOrNullStr(order.stopPrice),
    status: order.status,
    extended_hours: order.extendedHours,
    legs,
    trail_percent: decOrNullStr(order.trailPercent),
    trail_price: decOrNullStr(order.trailPrice),
    hwm: decOrNullStr(order.hwm),
    subtag: null,
    source: null,
  };
}
