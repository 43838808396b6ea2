/**
 * Fills and the positions they imply. A fill is one execution, unique by the broker's
 * execution id. `applyFill` derives the position change from a fill: quantities add up signed
 * (buys positive, sells negative), the average entry moves only when exposure grows, and the
 * part of a fill that reduces or flips a position realises P/L against the average entry.
 */
import { Decimal, type DecimalString, dec, str, ZERO } from './decimal.js';
import type { OrderSide } from './order.js';
import type { Timestamp } from './time.js';

export interface Fill {
  /** The broker's execution id (unique per execution). */
  executionId: string;
  orderId: string;
  clientOrderId: string | null;
  symbol: string;
  side: OrderSide;
  qty: DecimalString;
  price: DecimalString;
  at: Timestamp;
  /** The broker's position size after this execution, when the stream reported it. */
  positionQty: DecimalString | null;
  /** Where the ledger learned of it: the trade_updates stream or the FILL activities. */
  source: 'stream' | 'activity';
}

/** A position as the sum of its fills: signed quantity and average entry price. */
export interface PositionLot {
  qty: DecimalString;
  avgEntryPrice: DecimalString;
}

export interface PositionChange {
  before: PositionLot;
  after: PositionLot;
  /** P/L realised by the part of the fill that reduced the position. */
  realizedPl: DecimalString;
}

export const FLAT: PositionLot = Object.freeze({ qty: '0', avgEntryPrice: '0' });

export function signedFillQty(fill: Pick<Fill, 'side' | 'qty'>): Decimal {
  const qty = dec(fill.qty, 'fill.qty');
  if (qty.lte(0)) throw new Error(`fill quantity must be positive, got ${fill.qty}`);
  return fill.side === 'buy' ? qty : qty.neg();
}

/** Derives the position after one fill. */
export function applyFill(before: PositionLot, fill: Pick<Fill, 'side' | 'qty' | 'price'>): PositionChange {
  const qty = dec(before.qty, 'position.qty');
  const avg = dec(before.avgEntryPrice, 'position.avgEntryPrice');
  const delta = signedFillQty(fill);
  const price = dec(fill.price, 'fill.price');
  const next = qty.plus(delta);

  if (qty.isZero() || qty.isNeg() === delta.isNeg()) {
    // Opening or adding: the average entry is the quantity-weighted mean.
    const cost = qty.abs().times(avg).plus(delta.abs().times(price));
    return { before, after: lot(next, cost.div(next.abs())), realizedPl: '0' };
  }

  // Reducing, closing or flipping: the closed part realises P/L against the average entry.
  const closed = Decimal.min(qty.abs(), delta.abs());
  const direction = qty.isNeg() ? -1 : 1;
  const realized = price.minus(avg).times(closed).times(direction);
  let after: PositionLot;
  if (next.isZero()) after = FLAT;
  else if (next.isNeg() === qty.isNeg()) after = lot(next, avg);
  else after = lot(next, price); // flipped: the remainder opens at the fill price
  return { before, after, realizedPl: str(realized) };
}

/** Replays fills in order to a final position and the total realised P/L. */
export function positionFromFills(fills: Iterable<Pick<Fill, 'side' | 'qty' | 'price'>>): {
  position: PositionLot;
  realizedPl: DecimalString;
} {
  let position = FLAT;
  let realized = ZERO;
  for (const fill of fills) {
    const change = applyFill(position, fill);
    position = change.after;
    realized = realized.plus(change.realizedPl);
  }
  return { position, realizedPl: str(realized) };
}

function lot(qty: Decimal, avg: Decimal): PositionLot {
  return { qty: str(qty), avgEntryPrice: str(avg.toDecimalPlaces(9)) };
}
