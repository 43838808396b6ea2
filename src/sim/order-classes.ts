/**
 * Bracket, OCO and OTO requests (§3.5): which fields each class needs, the type/TIF/size limits,
 * the $0.01 stop-loss threshold against its base prices, and the drafts of the legs.
 * Must preserve: every rule answers 422 before any account check runs; legs take the parent's
 * qty and TIF, the exit side (bracket/OTO: opposite of the entry; OCO: the request's side).
 */
import { Decimal, str } from '../core/decimal.js';
import { simErrors } from './errors.js';
import type { Quote } from './market.js';
import type { OrderDraft } from './order-request.js';
import { checkIncrement } from './order-request.js';

const CENT = new Decimal('0.01');

export function isAdvanced(d: Pick<OrderDraft, 'orderClass'>): boolean {
  return d.orderClass !== '' && d.orderClass !== 'simple';
}

function requireParts(d: OrderDraft): void {
  const cls = d.orderClass;
  if (cls === 'bracket' || cls === 'oco') {
    if (!d.takeProfit) throw simErrors.unprocessable(`${cls} orders require take_profit.limit_price`);
    if (!d.stopLoss) throw simErrors.unprocessable(`${cls} orders require stop_loss.stop_price`);
  }
  if (cls === 'oto' && !d.takeProfit === !d.stopLoss) {
    throw simErrors.unprocessable('oto orders require exactly one of take_profit or stop_loss');
  }
  if (cls === 'oco' && d.type !== 'limit') throw simErrors.unprocessable('oco orders must be limit orders');
  if (cls !== 'oco' && d.type !== 'market' && d.type !== 'limit') {
    throw simErrors.unprocessable(`${cls} orders must have a market or limit entry`);
  }
}

/** §3.5 static rules of an advanced order; `marketPrice` is the last trade (threshold base). */
export function checkOrderClass(d: OrderDraft, quote: Quote | undefined): void {
  if (!isAdvanced(d)) return;
  requireParts(d);
  if (d.tif !== 'day' && d.tif !== 'gtc') {
    throw simErrors.unprocessable(`${d.orderClass} orders must be DAY or GTC orders`);
  }
  if (d.extendedHours) throw simErrors.unprocessable(`${d.orderClass} orders cannot be extended hours`);
  if (d.notional !== null || (d.qty !== null && !d.qty.isInteger())) {
    throw simErrors.unprocessable(`${d.orderClass} orders must be for whole shares`);
  }
  if (d.takeProfit) checkIncrement('take_profit.limit_price', d.takeProfit.limitPrice);
  if (d.stopLoss) {
    checkIncrement('stop_loss.stop_price', d.stopLoss.stopPrice);
    if (d.stopLoss.limitPrice) checkIncrement('stop_loss.limit_price', d.stopLoss.limitPrice);
  }
  checkPriceOrder(d, quote);
}

/** Side of the exit legs. */
export function exitSide(d: Pick<OrderDraft, 'orderClass' | 'side'>): 'buy' | 'sell' {
  if (d.orderClass === 'oco') return d.side;
  return d.side === 'buy' ? 'sell' : 'buy';
}

function checkPriceOrder(d: OrderDraft, quote: Quote | undefined): void {
  const sellExit = exitSide(d) === 'sell';
  const tp = d.takeProfit?.limitPrice;
  const stop = d.stopLoss?.stopPrice;
  if (tp && stop && (sellExit ? tp.lte(stop) : tp.gte(stop))) {
    const rel = sellExit ? '>' : '<';
    throw simErrors.unprocessable(`take_profit.limit_price must be ${rel} stop_loss.stop_price`);
  }
  if (!stop) return;
  const bases: Decimal[] = [];
  if (d.orderClass === 'oco' && tp) bases.push(tp);
  if (d.orderClass !== 'oco' && d.type === 'limit' && d.limitPrice) bases.push(d.limitPrice);
  if (quote) bases.push(quote.last);
  for (const base of bases) {
    const bound = sellExit ? base.minus(CENT) : base.plus(CENT);
    if (sellExit ? stop.gt(bound) : stop.lt(bound)) {
      throw simErrors.unprocessable(`stop_loss.stop_price must be ${sellExit ? '<=' : '>='} ${str(bound)}`);
    }
  }
}

/** The drafts of the legs, in leg order (take-profit first). The OCO's take-profit is the parent. */
export function legDrafts(d: OrderDraft): OrderDraft[] {
  const base = {
    ...d,
    side: exitSide(d),
    notional: null,
    clientOrderId: null,
    extendedHours: false,
    trailPrice: null,
    trailPercent: null,
    takeProfit: null,
    stopLoss: null,
  };
  const legs: OrderDraft[] = [];
  if (d.takeProfit && d.orderClass !== 'oco') {
    legs.push({ ...base, type: 'limit', limitPrice: d.takeProfit.limitPrice, stopPrice: null });
  }
  if (d.stopLoss) {
    const { stopPrice, limitPrice } = d.stopLoss;
    legs.push({ ...base, type: limitPrice ? 'stop_limit' : 'stop', stopPrice, limitPrice });
  }
  return legs;
}
