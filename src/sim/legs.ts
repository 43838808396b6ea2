/**
 * The life of bracket, OCO and OTO families after submission (§2.5, §3.5, §4.5): legs wait `held`
 * until the entry is completely filled; then a bracket's take-profit goes `new` while its
 * stop-loss stays `held` but armed (it triggers on the last trade), and an OTO's single leg goes
 * `new`. An OCO's take-profit is the parent and works at once; its stop-loss is armed from the start.
 * A take-profit fill cancels the stop-loss (a partial one resizes it); a stop-loss trigger cancels
 * the take-profit; canceling any member cancels the rest.
 * Must preserve: no event announces a leg entering `held`; a family never has two exits working
 * on the same shares at once.
 */
import type { BrokerState } from './broker-state.js';
import { isFinal, type SimOrder } from './order-model.js';
import { leaves } from './risk-checks.js';
import { emit, finish, setStatus } from './transitions.js';

export interface FamilyRoles {
  root: SimOrder;
  entry: SimOrder | null;
  takeProfit: SimOrder | null;
  stopLoss: SimOrder | null;
}

/** The family an order belongs to (null for a simple order). */
export function rolesOf(s: BrokerState, order: SimOrder): FamilyRoles | null {
  const root = order.parentId === null ? order : s.book.get(order.parentId);
  if (!root || root.legIds.length === 0) return null;
  const legs = root.legIds.flatMap((id) => s.book.get(id) ?? []);
  const stopLoss = legs.find((l) => l.type === 'stop' || l.type === 'stop_limit') ?? null;
  if (root.orderClass === 'oco') return { root, entry: null, takeProfit: root, stopLoss };
  return { root, entry: root, takeProfit: legs.find((l) => l.type === 'limit') ?? null, stopLoss };
}

/** Every member of the order's family (the order alone when simple). */
export function familyOf(s: BrokerState, order: SimOrder): SimOrder[] {
  const roles = rolesOf(s, order);
  if (!roles) return [order];
  return [roles.root, ...roles.root.legIds.flatMap((id) => s.book.get(id) ?? [])];
}

/** A held stop-loss that watches the market: its entry is filled, or it belongs to an OCO. */
export function isArmed(s: BrokerState, leg: SimOrder): boolean {
  if (leg.status !== 'held' || leg.parentId === null) return false;
  const root = s.book.get(leg.parentId);
  return root !== undefined && (root.orderClass === 'oco' || root.status === 'filled');
}

function cancelIfOpen(s: BrokerState, order: SimOrder | null): void {
  if (order && !isFinal(order)) finish(s, order, 'canceled');
}

/** Cancels every open member of the order's family (the order first). */
export function cancelFamily(s: BrokerState, order: SimOrder): void {
  cancelIfOpen(s, order);
  for (const member of familyOf(s, order)) cancelIfOpen(s, member);
}

/** An armed stop-loss was triggered: the take-profit is canceled and the stop-loss goes `new`. */
export function releaseStopLoss(s: BrokerState, leg: SimOrder): void {
  cancelIfOpen(s, rolesOf(s, leg)?.takeProfit ?? null);
  setStatus(s, leg, 'new');
  emit(s, 'new', leg);
}

/**
 * Family bookkeeping after an execution of `order`; returns the legs to run against the market
 * now (after an entry's final fill: the activated leg and the armed stop-loss).
 */
export function afterExecution(s: BrokerState, order: SimOrder, done: boolean): SimOrder[] {
  const roles = rolesOf(s, order);
  if (!roles) return [];
  if (order === roles.entry) {
    if (!done) return [];
    const activate = roles.takeProfit ?? roles.stopLoss;
    if (
      activate &&
      activate.status === 'held' &&
      (order.orderClass === 'oto' || activate === roles.takeProfit)
    ) {
      setStatus(s, activate, 'new');
      emit(s, 'new', activate);
    }
    return [roles.takeProfit, roles.stopLoss].filter((l): l is SimOrder => l !== null);
  }
  if (order === roles.takeProfit) {
    if (done) cancelIfOpen(s, roles.stopLoss);
    else if (roles.stopLoss && roles.stopLoss.status === 'held') roles.stopLoss.qty = leaves(order);
  }
  return [];
}
