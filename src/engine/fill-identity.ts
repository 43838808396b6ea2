/**
 * How the ledger recognises the same execution arriving by two roads. The stream carries the
 * broker's execution id; a FILL activity carries its own activity id instead (Alpaca's activities
 * do not echo the execution id). The same execution is therefore recognised by its order, quantity
 * and execution time. Matching is done as multisets, so two executions of one order with equal
 * quantity at the same instant still count twice.
 */
import { dec } from '../core/decimal.js';
import type { Fill } from '../core/fill.js';
import { compareTimestamps } from '../core/time.js';

/** True when two fills describe the same execution of the same order. */
export function sameExecution(a: Fill, b: Fill): boolean {
  return a.orderId === b.orderId && dec(a.qty).eq(b.qty) && compareTimestamps(a.at, b.at) === 0;
}

/**
 * The activity fills (of one order or many) not yet in `stored`: those whose id is not stored and
 * that are not matched one-to-one with a stored execution of the same order, quantity and time.
 */
export function missingFills(stored: readonly Fill[], activities: readonly Fill[]): Fill[] {
  const storedIds = new Set(stored.map((f) => f.executionId));
  const unmatched = [...stored];
  const missing: Fill[] = [];
  // Activities already stored by id consume their own row first.
  const pending = activities.filter((a) => {
    if (!storedIds.has(a.executionId)) return true;
    const i = unmatched.findIndex((f) => f.executionId === a.executionId);
    if (i >= 0) unmatched.splice(i, 1);
    return false;
  });
  for (const activity of pending) {
    const i = unmatched.findIndex((f) => sameExecution(f, activity));
    if (i >= 0) unmatched.splice(i, 1);
    else missing.push(activity);
  }
  return missing;
}
