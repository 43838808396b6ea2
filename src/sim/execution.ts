/**
 * Order execution: routing (pending_new -> new), the paper fill model (market orders at the far
 * side of the quote, limits only when crossed, stops elected on the last trade, trailing stops
 * tracking their high-water mark), optional seeded partial fills, IOC/FOK, and terminal
 * transitions with their trade_updates events.
 * Must preserve: every execution moves cash, position, order and activity together and emits
 * exactly one fill/partial_fill event carrying execution_id, price, qty and position_qty.
 */
import { Decimal, str, ZERO } from '../core/decimal.js';
import type { BrokerState, TradeEventName } from './broker-state.js';
import type { Quote } from './market.js';
import { isFinal, type SimOrder } from './order-model.js';
import { leaves } from './risk-checks.js';
import type { SessionPhase } from './session-calendar.js';
import { etParts } from './session-calendar.js';

const HUNDRED = new Decimal(100);

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

/** Whether the session lets this order trade now. */
export function tradableIn(order: SimOrder, phase: SessionPhase): boolean {
  if (phase === 'core') return true;
  return (phase === 'pre' || phase === 'post') && order.extendedHours;
}

/** Routes a pending order: pending_new -> new, then tries to match it. */
export function route(s: BrokerState, order: SimOrder): void {
  if (order.status !== 'pending_new') return;
  const quote = s.market.quote(order.symbol);
  if (order.type === 'trailing_stop' && quote) initTrailing(order, quote);
  setStatus(s, order, 'new');
  emit(s, 'new', order);
  if (quote) tryExecute(s, order, quote, s.clock.phase());
  if (!isFinal(order) && (order.tif === 'ioc' || order.tif === 'fok')) finish(s, order, 'canceled');
}

/** Sends an accepted order on its way: pending_new now, new (and matching) on the next turn. */
export function dispatch(s: BrokerState, order: SimOrder): void {
  s.pending.delete(order);
  setStatus(s, order, 'pending_new');
  emit(s, 'pending_new', order);
  setImmediate(() => route(s, order));
}

export function finish(
  s: BrokerState,
  order: SimOrder,
  status: 'canceled' | 'expired' | 'replaced' | 'rejected',
): void {
  const now = s.clock.now();
  if (status === 'canceled') order.canceledAt = now;
  if (status === 'expired') order.expiredAt = now;
  if (status === 'replaced') order.replacedAt = now;
  if (status === 'rejected') order.failedAt = now;
  s.pending.delete(order);
  setStatus(s, order, status);
  emit(s, status, order);
}

function initTrailing(order: SimOrder, quote: Quote): void {
  order.hwm = quote.last;
  order.stopPrice = trailingStop(order, quote.last);
}

function trailingStop(order: SimOrder, hwm: Decimal): Decimal {
  const sign = order.side === 'sell' ? -1 : 1;
  const offset = order.trailPrice ?? hwm.times(order.trailPercent ?? ZERO).div(HUNDRED);
  return hwm.plus(offset.times(sign)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Updates the high-water mark (low for buys) and reports whether the stop is hit. */
function trailingHit(order: SimOrder, quote: Quote, phase: SessionPhase): boolean {
  if (phase !== 'core') return false;
  const better =
    order.side === 'sell' ? quote.last.gt(order.hwm ?? ZERO) : quote.last.lt(order.hwm ?? quote.last.plus(1));
  if (order.hwm === null || better) {
    order.hwm = quote.last;
    order.stopPrice = trailingStop(order, quote.last);
  }
  const stop = order.stopPrice as Decimal;
  return order.side === 'sell' ? quote.last.lte(stop) : quote.last.gte(stop);
}

function stopHit(order: SimOrder, quote: Quote): boolean {
  const stop = order.stopPrice as Decimal;
  return order.side === 'buy' ? quote.last.gte(stop) : quote.last.lte(stop);
}

/** The execution price if the order can trade against this quote now, else null. */
export function executablePrice(order: SimOrder, quote: Quote, phase: SessionPhase): Decimal | null {
  if (!tradableIn(order, phase)) return null;
  if (!order.triggered) {
    if (order.type === 'trailing_stop') order.triggered = trailingHit(order, quote, phase);
    else if (order.type === 'stop' || order.type === 'stop_limit') order.triggered = stopHit(order, quote);
    else order.triggered = true;
    if (!order.triggered) return null;
  }
  const far = order.side === 'buy' ? quote.ask : quote.bid;
  if (order.type !== 'limit' && order.type !== 'stop_limit') return far;
  const limit = order.limitPrice as Decimal;
  return (order.side === 'buy' ? far.lte(limit) : far.gte(limit)) ? far : null;
}

/** Fills as much as the fill model allows; returns true when anything executed. */
export function tryExecute(s: BrokerState, order: SimOrder, quote: Quote, phase: SessionPhase): boolean {
  if (order.status !== 'new' && order.status !== 'partially_filled') return false;
  const price = executablePrice(order, quote, phase);
  if (price === null) return false;
  for (let round = 0; round < 8 && !isFinal(order); round++) {
    const remaining = remainingQty(order, price);
    if (remaining.lte(0)) break;
    const partial = order.tif !== 'fok' && round < 7 && s.fillRng() < s.partialFillProbability;
    executeFill(s, order, partial ? partialQty(s, remaining) : remaining, price);
  }
  return true;
}

function remainingQty(order: SimOrder, price: Decimal): Decimal {
  if (order.qty) return order.qty.minus(order.filledQty);
  const left = (order.notional as Decimal).minus(order.filledValue);
  return left.div(price).toDecimalPlaces(9, Decimal.ROUND_DOWN);
}

function partialQty(s: BrokerState, remaining: Decimal): Decimal {
  const u = s.fillRng();
  if (remaining.isInteger() && remaining.gte(2)) {
    return Decimal.min(remaining.minus(1), new Decimal(Math.floor(u * remaining.toNumber()) + 1));
  }
  const part = remaining.times(u.toFixed(6)).toDecimalPlaces(9, Decimal.ROUND_DOWN);
  return part.isZero() || part.gte(remaining) ? remaining : part;
}

/** One execution: order, cash, position, activity, event. */
export function executeFill(s: BrokerState, order: SimOrder, qty: Decimal, price: Decimal): void {
  const now = s.clock.now();
  order.filledQty = order.filledQty.plus(qty);
  order.filledValue = order.filledValue.plus(qty.times(price));
  const positionQty = s.portfolio.applyFill(order.symbol, order.side, qty, price);
  const done = order.qty ? order.filledQty.gte(order.qty) : remainingQty(order, price).isZero();
  if (done) order.filledAt = now;
  setStatus(s, order, done ? 'filled' : 'partially_filled');
  s.counters.executions++;
  const execution = { id: s.newId(), price, qty, positionQty };
  recordActivity(s, order, execution.price, qty, now);
  recordEquity(s, now);
  s.emit({ event: done ? 'fill' : 'partial_fill', order, at: now, execution });
}

function activityId(ms: number, uuid: string): string {
  const p = etParts(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  return `${p.date.replaceAll('-', '')}${pad(p.hour)}${pad(p.minute)}${pad(p.second)}${millis}::${uuid}`;
}

function recordActivity(s: BrokerState, order: SimOrder, price: Decimal, qty: Decimal, at: number): void {
  const leavesQty = order.qty ? order.qty.minus(order.filledQty) : ZERO;
  s.activities.push({
    at,
    wire: {
      id: activityId(at, s.newId()),
      activity_type: 'FILL',
      transaction_time: new Date(at).toISOString(),
      type: order.status === 'filled' ? 'fill' : 'partial_fill',
      price: str(price),
      qty: str(qty),
      side: order.side,
      symbol: order.symbol,
      leaves_qty: str(leavesQty),
      cum_qty: str(order.filledQty),
      order_id: order.id,
      order_status: order.status,
    },
  });
}

/** Appends an equity point (one per second at most) for portfolio history. */
export function recordEquity(s: BrokerState, at: number): void {
  let equity = s.portfolio.cash;
  for (const pos of s.portfolio.positions.values()) {
    equity = equity.plus(pos.qty.times(s.market.quote(pos.symbol)?.last ?? pos.avgEntry));
  }
  const t = Math.floor(at / 1000);
  const last = s.history[s.history.length - 1];
  if (last && last.t === t) last.equity = equity;
  else if (!last || t > last.t) s.history.push({ t, equity });
  if (s.history.length > 200_000) s.history.splice(0, 100_000);
}

/** Runs matching for every open order of a symbol after its price changed. */
export function matchSymbol(s: BrokerState, symbol: string): void {
  const quote = s.market.quote(symbol);
  if (!quote) return;
  const phase = s.clock.phase();
  for (const order of [...s.book.openFor(symbol)]) tryExecute(s, order, quote, phase);
}
