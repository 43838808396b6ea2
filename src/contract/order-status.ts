/**
 * Order statuses as the engine stores them and the API and UI show them (Alpaca's), and the
 * sets every part agrees on: open (the broker may still fill it), final (the broker never changes
 * it again) and settled for the kill switch. The list and the open and final sets are defined in
 * core/order.ts (core applies updates monotonically by them and may not import this module);
 * this module is where the other parts take them from. The simulator keeps its own (it is the
 * broker, not a party to this contract: src/sim shares only core value types).
 */
import { FINAL_ORDER_STATUSES, isOrderStatus, OPEN_ORDER_STATUSES, type OrderStatus } from '../core/order.js';

export {
  FINAL_ORDER_STATUSES,
  isFinalStatus,
  isOpenStatus,
  isOrderStatus,
  OPEN_ORDER_STATUSES,
  ORDER_STATUSES,
  type OrderStatus,
} from '../core/order.js';

/**
 * Orders a kill switch stops waiting for: final, or out of play for the day (done_for_day,
 * stopped: no more fills today), so a close order that will not fill does not hold the run.
 */
export const KILL_SWITCH_SETTLED_STATUSES: ReadonlySet<OrderStatus> = new Set<OrderStatus>([
  ...FINAL_ORDER_STATUSES,
  'done_for_day',
  'stopped',
]);

/** For a status read off the wire (any string): open when it is a known open status. */
export function isOpenOrderStatus(status: string): boolean {
  return isOrderStatus(status) && OPEN_ORDER_STATUSES.has(status);
}

/** For a status read off the wire (any string): final when it is a known final status. */
export function isFinalOrderStatus(status: string): boolean {
  return isOrderStatus(status) && FINAL_ORDER_STATUSES.has(status);
}
