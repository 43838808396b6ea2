/**
 * Order execution: routing (pending_new -> new), the paper fill model (market orders at the far
 * side of the quote, limits only when crossed, stops elected on the last trade, buy stops capped
 * as stop-limits, trailing stops tracking their high-water mark), optional seeded partial fills,
 * IOC/FOK/OPG remainders, the closing auction for CLS, and running bracket/OCO/OTO legs.
 * Must preserve: a held leg never executes until it is activated or its armed stop triggers; an
 * order in a pending state keeps working (that is what makes the cancel and replace races).
 */
import { Decimal, ZERO } from '../core/decimal.js';
import type { BrokerState } from './broker-state.js';
import { executeFill, remainingQty } from './fills.js';
import { isArmed, releaseStopLoss } from './legs.js';
import type { Quote } from './market.js';
import { buyStopLimit, isFinal, type SimOrder, WORKING_STATUSES } from './order-model.js';
import type { SessionPhase } from './session-calendar.js';
import { emit, finish, setStatus, tradableIn } from './transitions.js';

const HUNDRED = new Decimal(100);

/** Whether a remainder that could not trade at once is canceled (IOC, FOK, OPG at the open). */
function immediateOnly(s: BrokerState, order: SimOrder): boolean {
  return order.tif === 'ioc' || order.tif === 'fok' || (order.tif === 'opg' && s.clock.mode === 'calendar');
}

/** Routes a pending order: pending_new -> new, then tries to match it. */
export function route(s: BrokerState, order: SimOrder, phase = s.clock.phase()): void {
  if (order.status !== 'pending_new') return;
  const quote = s.market.quote(order.symbol);
  if (order.type === 'trailing_stop' && quote) initTrailing(order, quote);
  setStatus(s, order, 'new');
  emit(s, 'new', order);
  if (quote) tryExecute(s, order, quote, phase);
  if (!isFinal(order) && immediateOnly(s, order)) finish(s, order, 'canceled');
}

/** Sends an accepted order on its way: pending_new now, new (and matching) on the next turn. */
export function dispatch(s: BrokerState, order: SimOrder): void {
  s.pending.delete(order);
  setStatus(s, order, 'pending_new');
  emit(s, 'pending_new', order);
  setImmediate(() => route(s, order));
}

/** CLS at the close: routed and matched once as in the core session; the rest is canceled. */
export function closingAuction(s: BrokerState, order: SimOrder): void {
  s.pending.delete(order);
  setStatus(s, order, 'pending_new');
  emit(s, 'pending_new', order);
  route(s, order, 'core');
  if (!isFinal(order)) finish(s, order, 'canceled');
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

/** The limit an order trades under once triggered (a buy stop's is derived from its stop). */
function effectiveLimit(order: SimOrder): Decimal | null {
  if (order.type === 'limit' || order.type === 'stop_limit') return order.limitPrice;
  if (order.type === 'stop' && order.side === 'buy') return buyStopLimit(order.stopPrice as Decimal);
  return null;
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
  const limit = effectiveLimit(order);
  if (limit === null) return far;
  return (order.side === 'buy' ? far.lte(limit) : far.gte(limit)) ? far : null;
}

/** An armed held stop-loss whose stop the last trade reached is released (goes `new`). */
function releaseIfTriggered(s: BrokerState, leg: SimOrder, quote: Quote, phase: SessionPhase): boolean {
  if (!isArmed(s, leg) || !tradableIn(leg, phase) || !stopHit(leg, quote)) return false;
  leg.triggered = true;
  releaseStopLoss(s, leg);
  return true;
}

/** Fills as much as the fill model allows; returns true when anything executed. */
export function tryExecute(s: BrokerState, order: SimOrder, quote: Quote, phase: SessionPhase): boolean {
  if (order.status === 'held' && !releaseIfTriggered(s, order, quote, phase)) return false;
  if (!WORKING_STATUSES.has(order.status)) return false;
  const price = executablePrice(order, quote, phase);
  if (price === null) return false;
  const legs: SimOrder[] = [];
  for (let round = 0; round < 8 && !isFinal(order); round++) {
    const remaining = remainingQty(order, price);
    if (remaining.lte(0)) break;
    const partial = order.tif !== 'fok' && round < 7 && s.fillRng() < s.partialFillProbability;
    legs.push(...executeFill(s, order, partial ? partialQty(s, remaining) : remaining, price));
  }
  for (const leg of legs) tryExecute(s, leg, quote, phase);
  return true;
}

function partialQty(s: BrokerState, remaining: Decimal): Decimal {
  const u = s.fillRng();
  if (remaining.isInteger() && remaining.gte(2)) {
    return Decimal.min(remaining.minus(1), new Decimal(Math.floor(u * remaining.toNumber()) + 1));
  }
  const part = remaining.times(u.toFixed(6)).toDecimalPlaces(9, Decimal.ROUND_DOWN);
  return part.isZero() || part.gte(remaining) ? remaining : part;
}

/** Runs matching for every open order of a symbol after its price changed. */
export function matchSymbol(s: BrokerState, symbol: string): void {
  const quote = s.market.quote(symbol);
  if (!quote) return;
  const phase = s.clock.phase();
  for (const order of [...s.book.openFor(symbol)]) tryExecute(s, order, quote, phase);
}
