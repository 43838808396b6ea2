/**
 * Cancel requests and the races around pending states (§2.5, §4.4): a cancel of a working order
 * goes `pending_cancel` (event) and then `canceled`, at once or after the configured delay; if the
 * order fills first, the fill wins and `order_cancel_rejected` follows. A replace whose old order
 * fills while `pending_replace` ends with the replacement `rejected` and `order_replace_rejected`.
 * Must preserve: REST has already answered 204/200 when a race is lost; a final order never moves.
 */
import type { BrokerState } from './broker-state.js';
import { simErrors } from './errors.js';
import { cancelFamily } from './legs.js';
import { isFinal, type SimOrder } from './order-model.js';
import { emit, finish, setStatus } from './transitions.js';

/** Runs `fn` after `ms` on an unref'd timer the broker can clear on reset. */
export function later(s: BrokerState, ms: number, fn: () => void): void {
  const timer = setTimeout(() => {
    s.timers.delete(timer);
    fn();
  }, ms);
  timer.unref();
  s.timers.add(timer);
}

/**
 * DELETE /v2/orders/{id} after the 404 check: 422 when final or pending replace. With
 * `cancelFinalBehavior: '204'` a filled order answers 204 and `order_cancel_rejected` follows
 * (after the REST answer).
 */
export function requestCancel(s: BrokerState, order: SimOrder): void {
  if (order.status === 'filled' && s.cancelFinalBehavior === '204') {
    later(s, 0, () => s.emit({ event: 'order_cancel_rejected', order, at: s.clock.now(), execution: null }));
    return;
  }
  if (isFinal(order)) throw simErrors.unprocessable(`order is already in "${order.status}" state`);
  if (order.status === 'pending_replace') {
    throw simErrors.unprocessable('order is pending replace and cannot be canceled');
  }
  if (order.status === 'pending_cancel') return;
  order.cancelRequestedAt = s.clock.now();
  if (order.status !== 'new' && order.status !== 'partially_filled') {
    // Not working at the venue (accepted, pending_new, held): nothing can race the cancel.
    cancelFamily(s, order);
    return;
  }
  setStatus(s, order, 'pending_cancel');
  emit(s, 'pending_cancel', order);
  const delay = s.delays().cancelMs;
  if (delay <= 0) completeCancel(s, order);
  else later(s, delay, () => completeCancel(s, order));
}

function completeCancel(s: BrokerState, order: SimOrder): void {
  if (order.status === 'pending_cancel') cancelFamily(s, order);
}

/** After an order's final fill: the pending request it was in has lost the race. */
export function settleRace(
  s: BrokerState,
  order: SimOrder,
  pending: 'pending_cancel' | 'pending_replace',
): void {
  if (pending === 'pending_cancel') {
    emit(s, 'order_cancel_rejected', order);
    return;
  }
  const replacement = s.replacing.get(order.id);
  s.replacing.delete(order.id);
  if (replacement && !isFinal(replacement)) finish(s, replacement, 'rejected');
  emit(s, 'order_replace_rejected', order);
}
