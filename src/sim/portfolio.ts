/**
 * Cash and positions, and the arithmetic of a fill: weighted average entry on adds, unchanged
 * entry on reductions, a fresh entry when a fill crosses zero, removal at zero.
 * Must preserve: cash changes by exactly price × qty per execution (no fees); a position's qty is
 * signed (negative = short) and never stored as zero.
 */
import { Decimal, ZERO } from '../core/decimal.js';
import type { Side } from './order-model.js';

export interface SimPosition {
  symbol: string;
  qty: Decimal;
  avgEntry: Decimal;
  /** Average entry for intraday P/L: the previous close for carried shares, the fill price for new ones. */
  intradayAvg: Decimal;
  /** Previous close (set at the end of a day; the first entry price for positions opened today). */
  lastdayPrice: Decimal;
}

export interface PositionSeed {
  symbol: string;
  qty: Decimal;
  avgEntry: Decimal;
}

export class Portfolio {
  readonly positions = new Map<string, SimPosition>();

  constructor(
    public cash: Decimal,
    seeds: PositionSeed[] = [],
    closeOf: (symbol: string) => Decimal | undefined = () => undefined,
  ) {
    for (const s of seeds) {
      if (s.qty.isZero()) continue;
      const close = closeOf(s.symbol) ?? s.avgEntry;
      this.positions.set(s.symbol, {
        symbol: s.symbol,
        qty: s.qty,
        avgEntry: s.avgEntry,
        intradayAvg: close,
        lastdayPrice: close,
      });
    }
  }

  qty(symbol: string): Decimal {
    return this.positions.get(symbol)?.qty ?? ZERO;
  }

  /** Applies one execution and returns the signed position qty after it. */
  applyFill(symbol: string, side: Side, qty: Decimal, price: Decimal): Decimal {
    const signed = side === 'buy' ? qty : qty.neg();
    this.cash = this.cash.minus(signed.times(price));
    const pos = this.positions.get(symbol);
    if (!pos) {
      this.positions.set(symbol, {
        symbol,
        qty: signed,
        avgEntry: price,
        intradayAvg: price,
        lastdayPrice: price,
      });
      return signed;
    }
    const after = pos.qty.plus(signed);
    if (after.isZero()) {
      this.positions.delete(symbol);
      return after;
    }
    if (pos.qty.isNeg() !== after.isNeg()) {
      pos.avgEntry = price;
      pos.intradayAvg = price;
    } else if (pos.qty.isNeg() === signed.isNeg()) {
      pos.avgEntry = weighted(pos.avgEntry, pos.qty, price, signed);
      pos.intradayAvg = weighted(pos.intradayAvg, pos.qty, price, signed);
    }
    pos.qty = after;
    return after;
  }

  /** End of day: today's prices become the previous close of every position. */
  rollDay(closeOf: (symbol: string) => Decimal | undefined): void {
    for (const pos of this.positions.values()) {
      const close = closeOf(pos.symbol) ?? pos.lastdayPrice;
      pos.lastdayPrice = close;
      pos.intradayAvg = close;
    }
  }
}

function weighted(avg: Decimal, qty: Decimal, price: Decimal, add: Decimal): Decimal {
  const a = qty.abs();
  const b = add.abs();
  return avg.times(a).plus(price.times(b)).div(a.plus(b)).toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN);
}
