/**
 * Simulated prices: per symbol a last trade and a bid/ask around it. Prices move by a seeded random
 * walk (one independent stream per symbol) or are set directly through /_sim/prices.
 * Must preserve: every price is a Decimal on the tick grid, never below one tick; the same seed gives
 * the same path for a symbol regardless of what other symbols do.
 */
import { Decimal, dec } from '../core/decimal.js';
import { type Rng, streamFor } from './rng.js';

export interface Quote {
  symbol: string;
  last: Decimal;
  bid: Decimal;
  ask: Decimal;
  /** Epoch ms of the last change. */
  at: number;
}

export interface MarketOptions {
  seed: number;
  /** Largest relative move per tick (0.001 = 0.1 %). */
  volatility: number;
  /** Price grid, e.g. "0.01". */
  tick: string;
  /** Bid/ask spread in dollars, split evenly around the last trade. */
  spread: string;
}

/** A price as set through /_sim/prices: a last trade, or an explicit quote. */
export type PriceInput = Decimal | { last?: Decimal; bid?: Decimal; ask?: Decimal };

export class Market {
  private readonly quotes = new Map<string, Quote>();
  private readonly rngs = new Map<string, Rng>();
  private readonly tick: Decimal;
  private readonly halfSpread: Decimal;
  private readonly volatility: Decimal;

  constructor(private readonly options: MarketOptions) {
    this.tick = dec(options.tick, 'tick');
    this.halfSpread = dec(options.spread, 'spread').div(2);
    this.volatility = dec(options.volatility, 'volatility');
  }

  quote(symbol: string): Quote | undefined {
    return this.quotes.get(symbol);
  }

  symbols(): string[] {
    return [...this.quotes.keys()];
  }

  /** Sets prices; a bare decimal is the last trade and the quote is derived from the spread. */
  set(symbol: string, input: PriceInput, at: number): Quote {
    const prev = this.quotes.get(symbol);
    let quote: Quote;
    if (Decimal.isDecimal(input)) {
      quote = this.around(symbol, input as Decimal, at);
    } else {
      const parts = input as { last?: Decimal; bid?: Decimal; ask?: Decimal };
      const last = parts.last ?? prev?.last ?? parts.bid ?? parts.ask;
      if (!last) throw new Error(`no price for ${symbol}`);
      const base = this.around(symbol, last, at);
      quote = { ...base, bid: parts.bid ?? base.bid, ask: parts.ask ?? base.ask };
    }
    this.quotes.set(symbol, quote);
    return quote;
  }

  /** Advances one symbol by one random-walk step. */
  step(symbol: string, at: number): Quote | undefined {
    const prev = this.quotes.get(symbol);
    if (!prev) return undefined;
    const z = dec((this.rng(symbol)() * 2 - 1).toFixed(9));
    const moved = prev.last.plus(prev.last.times(this.volatility).times(z));
    const quote = this.around(symbol, this.onGrid(moved), at);
    this.quotes.set(symbol, quote);
    return quote;
  }

  private around(symbol: string, last: Decimal, at: number): Quote {
    const bid = Decimal.max(last.minus(this.halfSpread), this.tick);
    return { symbol, last, bid: this.onGrid(bid), ask: this.onGrid(last.plus(this.halfSpread)), at };
  }

  private onGrid(price: Decimal): Decimal {
    const snapped = price.div(this.tick).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(this.tick);
    return Decimal.max(snapped, this.tick);
  }

  private rng(symbol: string): Rng {
    let rng = this.rngs.get(symbol);
    if (!rng) {
      rng = streamFor(this.options.seed, `price:${symbol}`);
      this.rngs.set(symbol, rng);
    }
    return rng;
  }
}
