/**
 * The broker's order as Centaur keeps it, and the rule that keeps the ledger honest: an order
 * update applies monotonically. A stale, reordered or duplicated update (Alpaca replays events)
 * never moves an order backwards: a final status is never left, the filled quantity never
 * shrinks, and an older broker timestamp never overwrites a newer one.
 */
import { type DecimalString, dec } from './decimal.js';
import { compareTimestamps, type Timestamp } from './time.js';

export const ORDER_STATUSES = [
  'new',
  'partially_filled',
  'filled',
  'done_for_day',
  'canceled',
  'expired',
  'replaced',
  'pending_cancel',
  'pending_replace',
  'accepted',
  'pending_new',
  'accepted_for_bidding',
  'stopped',
  'rejected',
  'suspended',
  'calculated',
  'held',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_SIDES = ['buy', 'sell'] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];

export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const TIME_IN_FORCE = ['day', 'gtc', 'opg', 'cls', 'ioc', 'fok'] as const;
export type TimeInForce = (typeof TIME_IN_FORCE)[number];

/** Statuses after which the broker never changes the order again. */
export const FINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'filled',
  'canceled',
  'expired',
  'replaced',
  'rejected',
]);

/** Statuses of an order that may still execute (Alpaca's `status=open` partition). */
export const OPEN_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'new',
  'partially_filled',
  'accepted',
  'pending_new',
  'accepted_for_bidding',
  'pending_cancel',
  'pending_replace',
  'stopped',
  'suspended',
  'done_for_day',
  'held',
]);

export function isFinalStatus(status: OrderStatus): boolean {
  return FINAL_ORDER_STATUSES.has(status);
}

export function isOpenStatus(status: OrderStatus): boolean {
  return OPEN_ORDER_STATUSES.has(status);
}

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);
}

/** Progress of a status through the lifecycle, used to break ties between same-time updates. */
const STATUS_RANK: Record<OrderStatus, number> = {
  held: 0,
  accepted: 1,
  pending_new: 2,
  accepted_for_bidding: 2,
  new: 3,
  partially_filled: 4,
  pending_replace: 5,
  pending_cancel: 5,
  stopped: 5,
  suspended: 5,
  done_for_day: 6,
  calculated: 6,
  filled: 9,
  canceled: 9,
  expired: 9,
  replaced: 9,
  rejected: 9,
};

export interface Order {
  /** The broker's order id. */
  id: string;
  clientOrderId: string;
  symbol: string;
  assetClass: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  orderClass: string;
  qty: DecimalString | null;
  notional: DecimalString | null;
  filledQty: DecimalString;
  filledAvgPrice: DecimalString | null;
  limitPrice: DecimalString | null;
  stopPrice: DecimalString | null;
  trailPrice: DecimalString | null;
  trailPercent: DecimalString | null;
  extendedHours: boolean;
  status: OrderStatus;
  createdAt: Timestamp;
  updatedAt: Timestamp | null;
  submittedAt: Timestamp | null;
  filledAt: Timestamp | null;
  canceledAt: Timestamp | null;
  expiredAt: Timestamp | null;
  failedAt: Timestamp | null;
  replacedAt: Timestamp | null;
  replacedBy: string | null;
  replaces: string | null;
}

export type OrderUpdateOutcome =
  | { applied: true; order: Order }
  | { applied: false; order: Order; reason: 'duplicate' | 'final' | 'stale' };

/** The most recent broker time known for an order. */
export function orderLastChange(order: Order): Timestamp {
  return order.updatedAt ?? order.submittedAt ?? order.createdAt;
}

function sameState(a: Order, b: Order): boolean {
  return (
    a.status === b.status &&
    dec(a.filledQty).eq(b.filledQty) &&
    a.updatedAt === b.updatedAt &&
    a.filledAvgPrice === b.filledAvgPrice &&
    a.replacedBy === b.replacedBy &&
    a.stopPrice === b.stopPrice &&
    a.limitPrice === b.limitPrice &&
    a.qty === b.qty
  );
}

/**
 * Applies a broker update to the order we hold (or creates it when we hold none). The current
 * order wins when the update is a duplicate, comes after a final status, has filled less, or is
 * older by the broker's clock; a same-time update must not step back in the lifecycle.
 */
export function applyOrderUpdate(current: Order | null, update: Order): OrderUpdateOutcome {
  if (current === null) return { applied: true, order: update };
  if (current.id !== update.id) {
    throw new Error(`applyOrderUpdate: order ids differ (${current.id} vs ${update.id})`);
  }
  if (sameState(current, update)) return { applied: false, order: current, reason: 'duplicate' };
  if (isFinalStatus(current.status)) return { applied: false, order: current, reason: 'final' };
  const filledDiff = dec(update.filledQty).cmp(current.filledQty);
  if (filledDiff < 0) return { applied: false, order: current, reason: 'stale' };
  if (filledDiff === 0) {
    const timeDiff = compareTimestamps(orderLastChange(update), orderLastChange(current));
    if (timeDiff < 0) return { applied: false, order: current, reason: 'stale' };
    if (timeDiff === 0 && STATUS_RANK[update.status] < STATUS_RANK[current.status]) {
      return { applied: false, order: current, reason: 'stale' };
    }
  }
  return { applied: true, order: update };
}
