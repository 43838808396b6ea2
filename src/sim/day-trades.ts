/**
 * Legacy pattern-day-trading protection (§3.6, behind the `legacyPdt` flag): day trades are
 * counted (open and close of the same symbol the same ET day), and an exit that could make the 4th
 * day trade in 5 business days is refused with 403 40310100 while `last_equity` < $25,000; working
 * exit orders on a position opened today count as potential day trades.
 * Must preserve: nothing here runs (and nothing is recorded) when the flag is off; a symbol opened
 * and closed several times the same day counts once per open-then-close cycle.
 */
import { Decimal } from '../core/decimal.js';
import type { BrokerState, DayTradeBook } from './broker-state.js';
import { SimError } from './errors.js';
import type { SimOrder } from './order-model.js';
import type { OrderDraft } from './order-request.js';
import { addDays, etParts, seekTradingDay } from './session-calendar.js';

const PDT_FLOOR = new Decimal('25000');
const LIMIT = 4;
const WINDOW = 5;

export function newDayTradeBook(): DayTradeBook {
  return { trades: [], openedOn: new Map() };
}

export const pdtDenied = () =>
  new SimError(403, 40310100, 'trade denied due to pattern day trading protection');

function today(s: BrokerState): string {
  return etParts(s.clock.now()).date;
}

/** The first ET date of the 5-business-day window ending today. */
function windowStart(date: string): string {
  let cur = seekTradingDay(date, -1).date;
  for (let i = 1; i < WINDOW; i++) cur = seekTradingDay(addDays(cur, -1), -1).date;
  return cur;
}

/** Day trades in the last 5 business days including today (`daytrade_count`). */
export function dayTradeCount(s: BrokerState): number {
  if (!s.meta.legacyPdt) return 0;
  const from = windowStart(today(s));
  return s.dayTrades.trades.filter((d) => d >= from).length;
}

/** After an execution: an increase marks the symbol opened today, a reduction of it counts. */
export function recordDayTrade(s: BrokerState, symbol: string, before: Decimal, after: Decimal): void {
  if (!s.meta.legacyPdt) return;
  const date = today(s);
  const flipped = !before.isZero() && !after.isZero() && before.isNeg() !== after.isNeg();
  const increased = !flipped && after.abs().gt(before.abs());
  const reduced = !before.isZero() && (flipped || after.abs().lt(before.abs()));
  if (reduced && s.dayTrades.openedOn.get(symbol) === date) {
    s.dayTrades.trades.push(date);
    s.dayTrades.openedOn.delete(symbol);
  }
  // A flip through zero closes one side and opens the other.
  if (increased || flipped) s.dayTrades.openedOn.set(symbol, date);
}

function reduces(side: 'buy' | 'sell', positionQty: Decimal): boolean {
  return side === 'sell' ? positionQty.gt(0) : positionQty.lt(0);
}

/** §3.3 step 11: refuses an exit that could make the 4th day trade in 5 business days. */
export function checkPatternDayTrading(
  s: BrokerState,
  draft: OrderDraft,
  positionQty: Decimal,
  replaces?: SimOrder,
): void {
  if (!s.meta.legacyPdt || s.meta.lastEquity.gte(PDT_FLOOR)) return;
  const date = today(s);
  if (!reduces(draft.side, positionQty) || s.dayTrades.openedOn.get(draft.symbol) !== date) return;
  const potential = new Set<string>();
  for (const [symbol, opened] of s.dayTrades.openedOn) {
    if (opened !== date || symbol === draft.symbol) continue;
    const qty = s.portfolio.qty(symbol);
    for (const o of s.book.openFor(symbol)) {
      if (o !== replaces && o.status !== 'held' && reduces(o.side, qty)) potential.add(symbol);
    }
  }
  if (dayTradeCount(s) + potential.size + 1 >= LIMIT) throw pdtDenied();
}
