/**
 * Alpaca wire JSON -> domain for the account side: account, positions, clock, assets, latest
 * quotes (market-data API), portfolio history, and the 207 multi-status bodies of cancel-all and
 * close-all.
 * Must preserve: the same loud failure as alpaca-mappers.ts (a WireDataError naming the field);
 * a per-item failure inside a 207 is a result with ok=false, not an exception.
 */
import { type DecimalString, dec, str } from '../../core/decimal.js';
import type { AccountSnapshot, Position } from '../../core/position.js';
import { compareTimestamps, type Timestamp, toTimestamp } from '../../core/time.js';
import type {
  Asset,
  CancelResult,
  CloseResult,
  HistoryPoint,
  MarketClock,
  Quote,
} from '../../ports/broker.js';
import { mapOrder } from './alpaca-mappers.js';
import { WireDataError, WireReader } from './wire-reader.js';

/** GET /v2/account, stamped with the time the adapter read it. */
export function mapAccount(value: unknown, at: Timestamp): AccountSnapshot {
  const w = WireReader.of(value, 'account');
  return {
    at,
    status: w.nonEmpty('status'),
    currency: w.stringOrNull('currency') ?? 'USD',
    cash: w.decimal('cash'),
    equity: w.decimal('equity'),
    lastEquity: w.decimal('last_equity'),
    buyingPower: w.decimal('buying_power'),
    longMarketValue: w.decimal('long_market_value'),
    shortMarketValue: w.decimal('short_market_value'),
    multiplier: w.decimal('multiplier'),
    shortingEnabled: w.bool('shorting_enabled'),
    tradingBlocked: w.bool('trading_blocked'),
    accountBlocked: w.bool('account_blocked'),
    tradeSuspendedByUser: w.boolOrFalse('trade_suspended_by_user'),
    source: 'sync',
  };
}

export function mapPosition(value: unknown, at: Timestamp, path = 'position'): Position {
  const w = WireReader.of(value, path);
  return {
    symbol: w.nonEmpty('symbol'),
    assetId: w.stringOrNull('asset_id'),
    qty: w.decimal('qty'),
    side: w.oneOf('side', ['long', 'short'] as const),
    avgEntryPrice: w.decimal('avg_entry_price'),
    costBasis: w.decimal('cost_basis'),
    currentPrice: w.decimalOrNull('current_price'),
    lastdayPrice: w.decimalOrNull('lastday_price'),
    marketValue: w.decimalOrNull('market_value'),
    unrealizedPl: w.decimalOrNull('unrealized_pl'),
    unrealizedPlpc: w.decimalOrNull('unrealized_plpc'),
    unrealizedIntradayPl: w.decimalOrNull('unrealized_intraday_pl'),
    asOf: at,
    provenance: 'rest',
  };
}

export function mapPositions(value: unknown, at: Timestamp): Position[] {
  return WireReader.array(value, 'positions').map((item, i) => mapPosition(item, at, `positions[${i}]`));
}

/** GET /v2/clock. */
export function mapClock(value: unknown): MarketClock {
  const w = WireReader.of(value, 'clock');
  return {
    at: w.timestamp('timestamp'),
    isOpen: w.bool('is_open'),
    nextOpen: w.timestamp('next_open'),
    nextClose: w.timestamp('next_close'),
  };
}

/** GET /v2/assets/{symbol}. */
export function mapAsset(value: unknown): Asset {
  const w = WireReader.of(value, 'asset');
  return {
    symbol: w.nonEmpty('symbol'),
    name: w.stringOrNull('name') ?? '',
    status: w.oneOf('status', ['active', 'inactive'] as const),
    tradable: w.bool('tradable'),
    fractionable: w.boolOrFalse('fractionable'),
    shortable: w.boolOrFalse('shortable'),
    easyToBorrow: w.boolOrFalse('easy_to_borrow'),
  };
}

/** A market-data price: a JSON number or string; 0 (no bid / no ask) means none. */
function priceOrNull(w: WireReader, key: string): DecimalString | null {
  const price = w.decimalOrNull(key);
  return price === null || dec(price).isZero() ? null : price;
}

function latestOf(a: Timestamp | null, b: Timestamp | null): Timestamp | null {
  if (a === null || b === null) return a ?? b;
  return compareTimestamps(a, b) >= 0 ? a : b;
}

/**
 * Latest trades `{trades: {SYM: {t, p}}}` and latest quotes `{quotes: {SYM: {t, bp, ap}}}` ->
 * one Quote per symbol that either answer knows; unknown symbols are left out.
 */
export function mapQuotes(tradesBody: unknown, quotesBody: unknown): Map<string, Quote> {
  const trades = WireReader.of(tradesBody, 'latest_trades').object('trades');
  const quotes = WireReader.of(quotesBody, 'latest_quotes').object('quotes');
  const symbols = new Set([...Object.keys(trades.raw), ...Object.keys(quotes.raw)]);
  const out = new Map<string, Quote>();
  for (const symbol of symbols) {
    const trade = trades.has(symbol) ? trades.object(symbol) : null;
    const quote = quotes.has(symbol) ? quotes.object(symbol) : null;
    out.set(symbol, {
      symbol,
      lastPrice: trade ? priceOrNull(trade, 'p') : null,
      bid: quote ? priceOrNull(quote, 'bp') : null,
      ask: quote ? priceOrNull(quote, 'ap') : null,
      at: latestOf(trade?.timestampOrNull('t') ?? null, quote?.timestampOrNull('t') ?? null),
    });
  }
  return out;
}

/** GET /v2/account/portfolio/history: parallel arrays of numbers; null equity points are gaps. */
export function mapHistory(value: unknown): HistoryPoint[] {
  const w = WireReader.of(value, 'portfolio_history');
  const times = WireReader.array(w.raw.timestamp, w.field('timestamp'));
  const equity = WireReader.array(w.raw.equity, w.field('equity'));
  const pl = w.has('profit_loss') ? WireReader.array(w.raw.profit_loss, w.field('profit_loss')) : [];
  if (equity.length !== times.length) {
    throw new WireDataError(w.field('equity'), equity.length, `expected ${times.length} points`);
  }
  const points: HistoryPoint[] = [];
  times.forEach((t, i) => {
    const field = `${w.path}.timestamp[${i}]`;
    if (typeof t !== 'number' || !Number.isFinite(t))
      throw new WireDataError(field, t, 'expected epoch seconds');
    const e = equity[i];
    if (e === null || e === undefined) return;
    const p = pl[i];
    points.push({
      at: toTimestamp(new Date(t * 1000), field),
      equity: str(dec(e, `${w.path}.equity[${i}]`)),
      profitLoss: p === null || p === undefined ? null : str(dec(p, `${w.path}.profit_loss[${i}]`)),
    });
  });
  return points;
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function errorText(w: WireReader, key: string, status: number): string {
  const body = w.raw[key];
  if (typeof body === 'object' && body !== null && 'message' in body) {
    return `HTTP ${status}: ${String((body as { message: unknown }).message)}`;
  }
  return `HTTP ${status}`;
}

/** DELETE /v2/positions (207): `[{symbol, status, body: Order | {code, message}}]`. */
export function mapCloseResults(value: unknown): CloseResult[] {
  return WireReader.array(value, 'close_all').map((item, i) => {
    const w = WireReader.of(item, `close_all[${i}]`);
    const status = w.integer('status');
    const ok = isSuccess(status);
    return {
      symbol: w.nonEmpty('symbol'),
      ok,
      order: ok ? mapOrder(w.raw.body, w.field('body')) : null,
      error: ok ? null : errorText(w, 'body', status),
    };
  });
}

/** DELETE /v2/orders (207): `[{id, status, body?}]`. */
export function mapCancelResults(value: unknown): CancelResult[] {
  return WireReader.array(value, 'cancel_all').map((item, i) => {
    const w = WireReader.of(item, `cancel_all[${i}]`);
    const status = w.integer('status');
    const ok = isSuccess(status);
    return { orderId: w.nonEmpty('id'), ok, error: ok ? null : errorText(w, 'body', status) };
  });
}
