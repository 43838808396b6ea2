/**
 * Time-driven work: expiring DAY orders at the close (status configurable, `expired` by default)
 * and aged GTC orders, the CLS closing auction, rolling the day (last_equity, previous closes),
 * and routing accepted orders once their session opens.
 * Must preserve: a day is rolled once; expiry never touches final orders.
 */
import { str } from '../core/decimal.js';
import { figuresOf } from './account-state.js';
import type { BrokerState } from './broker-state.js';
import { recordEquity } from './fills.js';
import { routePending, runClosingAuctions } from './order-placement.js';
import { addDays, etInstant, etParts, seekTradingDay } from './session-calendar.js';
import { finish } from './transitions.js';

/** The ET date of the most recent core close at or before `ms`. */
export function lastCloseDate(ms: number): string {
  const today = seekTradingDay(etParts(ms).date, -1);
  if (etInstant(today.date, today.close) <= ms) return today.date;
  return seekTradingDay(addDays(today.date, -1), -1).date;
}

/** Sets last_equity and previous closes from the current state. */
export function rollDay(s: BrokerState, date: string): void {
  const priceOf = (symbol: string) => s.market.quote(symbol)?.last;
  const f = figuresOf(s);
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
  runClosingAuctions(s, now);
  expireOrders(s, now, false);
  if (s.clock.mode === 'calendar') {
    const closeDate = lastCloseDate(now);
    if (closeDate > s.lastRollDate) rollDay(s, closeDate);
  }
  routePending(s, now);
}

/** Forces the end of a trading day (used in always-open mode and by /_sim/eod). */
export function endOfDay(s: BrokerState): { expired: number; equity: string } {
  const now = s.clock.now();
  const expired = expireOrders(s, now, true);
  rollDay(s, etParts(now).date);
  recordEquity(s, now);
  return { expired, equity: str(s.meta.lastEquity) };
}
