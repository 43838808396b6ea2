/**
 * Time-driven work: expiring DAY orders at the close (status configurable, `expired` by default)
 * and aged GTC orders, rolling the day (last_equity, previous closes), and routing accepted orders
 * once their session opens.
 * Must preserve: a day is rolled once; expiry never touches final orders.
 */
import { Decimal, str } from '../core/decimal.js';
import { computeFigures } from './account-view.js';
import type { BrokerState } from './broker-state.js';
import { dispatch, finish, recordEquity, tradableIn } from './execution.js';
import { addDays, etInstant, etParts, seekTradingDay } from './session-calendar.js';

/** The ET date of the most recent core close at or before `ms`. */
export function lastCloseDate(ms: number): string {
  const today = seekTradingDay(etParts(ms).date, -1);
  if (etInstant(today.date, today.close) <= ms) return today.date;
  return seekTradingDay(addDays(today.date, -1), -1).date;
}

/** The account multiplier: the configured one, capped by max_margin_multiplier. */
export function effectiveMultiplier(s: BrokerState): Decimal {
  return Decimal.min(s.optionMultiplier, new Decimal(s.config.max_margin_multiplier));
}

/** Sets last_equity and previous closes from the current state. */
export function rollDay(s: BrokerState, date: string): void {
  const priceOf = (symbol: string) => s.market.quote(symbol)?.last;
  const f = computeFigures(
    s.portfolio.cash,
    s.portfolio.positions.values(),
    priceOf,
    effectiveMultiplier(s),
    s.reservedTotal,
  );
  s.meta.lastEquity = f.equity;
  s.meta.lastMaintenanceMargin = f.maintenanceMargin;
  s.meta.balanceAsof = date;
  s.portfolio.rollDay(priceOf);
  s.lastRollDate = date;
}

/** Expires every DAY-lifetime order (and aged GTCs) whose expiry has passed. */
export function expireOrders(s: BrokerState, now: number, allDay: boolean): number {
  let count = 0;
  for (const order of s.book.open()) {
    const dayLike = order.tif !== 'gtc';
    if (!allDay && order.expiresAt > now) continue;
    if (allDay && !dayLike && order.expiresAt > now) continue;
    finish(s, order, dayLike ? s.dayExpiryStatus : 'canceled');
    count++;
  }
  return count;
}

/** Catches up with the clock: expiries, the day roll, routing of accepted orders. */
export function processClock(s: BrokerState): void {
  const now = s.clock.now();
  expireOrders(s, now, false);
  if (s.clock.mode === 'calendar') {
    const closeDate = lastCloseDate(now);
    if (closeDate > s.lastRollDate) rollDay(s, closeDate);
  }
  const phase = s.clock.phase(now);
  for (const order of [...s.pending]) if (tradableIn(order, phase)) dispatch(s, order);
}

/** Forces the end of a trading day (used in always-open mode and by /_sim/eod). */
export function endOfDay(s: BrokerState): { expired: number; equity: string } {
  const now = s.clock.now();
  const expired = expireOrders(s, now, true);
  rollDay(s, etParts(now).date);
  recordEquity(s, now);
  return { expired, equity: str(s.meta.lastEquity) };
}
