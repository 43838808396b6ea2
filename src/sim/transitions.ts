/**
 * The lowest layer of order state changes, shared by execution, legs, cancels, replaces and the
 * session jobs: status changes with their buying-power bookkeeping, terminal transitions, and the
 * trade event each one announces.
 * Must preserve: every status change re-files the order in the book and re-computes what it
 * reserves; events are emitted after the change, carrying the order's new state.
 */
import { Decimal, ZERO } from '../core/decimal.js';
import type { BrokerState, TradeEventName } from './broker-state.js';
import { isFinal, type SimOrder } from './order-model.js';
import { leaves } from './risk-checks.js';
import type { SessionPhase } from './session-calendar.js';

export function emit(s: BrokerState, event: TradeEventName, order: SimOrder): void {
  s.emit({ event, order, at: order.updatedAt, execution: null });
}

/** Recomputes the buying power an order holds after any change. */
export function updateReserve(s: BrokerState, order: SimOrder): void {
  let next = ZERO;
  if (!isFinal(order) && order.status !== 'held') {
    next = order.reserveNotional
      ? Decimal.max(order.reserveNotional.minus(order.filledValue), ZERO)
      : order.reserveUnit.times(leaves(order));
  }
  s.reservedTotal = s.reservedTotal.plus(next).minus(order.reserved);
  order.reserved = next;
}

export function setStatus(s: BrokerState, order: SimOrder, status: SimOrder['status']): void {
  order.status = status;
  order.updatedAt = s.clock.now();
  s.book.touch(order);
  updateReserve(s, order);
}

export type FinalStatus = 'canceled' | 'expired' | 'replaced' | 'rejected';

export function finish(s: BrokerState, order: SimOrder, status: FinalStatus): void {
  const now = s.clock.now();
  if (status === 'canceled') order.canceledAt = now;
  if (status === 'expired') order.expiredAt = now;
  if (status === 'replaced') order.replacedAt = now;
  if (status === 'rejected') order.failedAt = now;
  s.pending.delete(order);
  setStatus(s, order, status);
  emit(s, status, order);
}

/** Whether the session lets this order trade now. */
export function tradableIn(order: SimOrder, phase: SessionPhase): boolean {
  if (phase === 'core') return true;
  if (phase === 'overnight') return order.overnight;
  return (phase === 'pre' || phase === 'post') && order.extendedHours;
}
