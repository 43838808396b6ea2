/** Positions and account snapshots as the ledger keeps them (the broker is the truth). */
import { type DecimalString, dec, str } from './decimal.js';
import type { Timestamp } from './time.js';

/** How the ledger learned a value: the broker's REST view, or a stream event not yet confirmed. */
export type Provenance = 'rest' | 'stream';

export interface Position {
  symbol: string;
  assetId: string | null;
  /** Signed: negative for shorts. */
  qty: DecimalString;
  side: 'long' | 'short';
  avgEntryPrice: DecimalString;
  costBasis: DecimalString;
  currentPrice: DecimalString | null;
  lastdayPrice: DecimalString | null;
  marketValue: DecimalString | null;
  unrealizedPl: DecimalString | null;
  unrealizedPlpc: DecimalString | null;
  unrealizedIntradayPl: DecimalString | null;
  asOf: Timestamp;
  provenance: Provenance;
}

export interface AccountSnapshot {
  at: Timestamp;
  status: string;
  currency: string;
  cash: DecimalString;
  equity: DecimalString;
  lastEquity: DecimalString;
  buyingPower: DecimalString;
  longMarketValue: DecimalString;
  shortMarketValue: DecimalString;
  multiplier: DecimalString;
  shortingEnabled: boolean;
  tradingBlocked: boolean;
  accountBlocked: boolean;
  tradeSuspendedByUser: boolean;
  /** Where the snapshot came from: a REST sync or imported portfolio history. */
  source: 'sync' | 'history';
}

export function positionSide(qty: DecimalString): 'long' | 'short' {
  return qty.trim().startsWith('-') ? 'short' : 'long';
}

/** Day P/L of an account snapshot: equity against the previous close, in dollars and as a fraction. */
export function dayPl(snapshot: Pick<AccountSnapshot, 'equity' | 'lastEquity'>): {
  amount: DecimalString;
  fraction: DecimalString | null;
} {
  const equity = dec(snapshot.equity, 'equity');
  const last = dec(snapshot.lastEquity, 'lastEquity');
  const amount = equity.minus(last);
  return { amount: str(amount), fraction: last.isZero() ? null : str(amount.div(last).toDecimalPlaces(10)) };
}
