/**
 * What an order is expected to cost before the broker prices it: the reference price (limit or
 * stop when given, else the far side of the quote, else the last trade), the quantity (notional
 * orders divided by that price), the notional, and the position it would leave.
 */
import { type Decimal, dec, ZERO } from '../decimal.js';
import type { OrderIntent } from '../order-request.js';
import type { RiskQuote } from './risk-types.js';

export interface OrderEstimate {
  price: Decimal | null;
  qty: Decimal | null;
  notional: Decimal | null;
  /** Signed position after a complete fill. */
  resultingQty: Decimal | null;
}

function first(...values: Array<string | null | undefined>): Decimal | null {
  for (const v of values) if (v !== null && v !== undefined) return dec(v);
  return null;
}

export function referencePrice(intent: OrderIntent, quote: RiskQuote): Decimal | null {
  switch (intent.type) {
    case 'limit':
    case 'stop_limit':
      return dec(intent.limitPrice);
    case 'stop':
      return dec(intent.stopPrice);
    default:
      return intent.side === 'buy'
        ? first(quote.ask, quote.last, quote.bid)
        : first(quote.bid, quote.last, quote.ask);
  }
}

export function estimateOrder(intent: OrderIntent, quote: RiskQuote, positionQty: string): OrderEstimate {
  const price = referencePrice(intent, quote);
  let qty: Decimal | null;
  if (intent.qty !== undefined) qty = dec(intent.qty);
  else qty = price === null || price.isZero() ? null : dec(intent.notional).div(price);
  const notional =
    intent.notional !== undefined ? dec(intent.notional) : qty && price ? qty.times(price) : null;
  const signed = qty === null ? null : intent.side === 'buy' ? qty : qty.neg();
  return { price, qty, notional, resultingQty: signed === null ? null : dec(positionQty).plus(signed) };
}

/** Notional of the position after the order, at the reference price. */
export function resultingNotional(estimate: OrderEstimate): Decimal | null {
  if (estimate.resultingQty === null || estimate.price === null) return null;
  return estimate.resultingQty.abs().times(estimate.price);
}

/** The part of the order that opens or adds exposure (what consumes buying power). */
export function openingQty(estimate: OrderEstimate, positionQty: string): Decimal {
  if (estimate.resultingQty === null) return ZERO;
  const before = dec(positionQty).abs();
  const after = estimate.resultingQty.abs();
  const flipped = !dec(positionQty).isZero() && dec(positionQty).isNeg() !== estimate.resultingQty.isNeg();
  if (flipped) return after;
  return after.gt(before) ? after.minus(before) : ZERO;
}
