/**
 * Readable shapes of the ARK tool. Shares, market values and weights are decimal strings as
 * published (weight in percent, "9.79" for 9.79 %); arithmetic on them goes through decimal.js.
 */

export const ARK_FUNDS = ['ARKK', 'ARKQ', 'ARKG', 'ARKF', 'ARKW', 'ARKX'] as const;
export type ArkFund = (typeof ARK_FUNDS)[number];

export interface Holding {
  company: string;
  /** Empty for holdings ARK publishes without a ticker (cash funds, some foreign lines). */
  ticker: string;
  cusip: string;
  shares: string;
  marketValue: string;
  weightPct: string;
}

export interface Snapshot {
  fund: string;
  /** YYYY-MM-DD */
  date: string;
  holdings: Holding[];
}

/**
 * new: not in the baseline; exit: gone from the fund; buy/sell: shares moved by at least the
 * share threshold; drift: shares (nearly) unchanged but the weight moved by at least the weight
 * threshold — a price effect, not a trade; unchanged: below both thresholds.
 */
export type ChangeLabel = 'new' | 'exit' | 'buy' | 'sell' | 'drift' | 'unchanged';

export interface HoldingChange {
  fund: string;
  /** ticker, else CUSIP, else company: what a reader recognises. */
  symbol: string;
  company: string;
  cusip: string;
  label: ChangeLabel;
  sharesBefore: string;
  sharesAfter: string;
  sharesDelta: string;
  /** Share change relative to the baseline, percent; null for new holdings. */
  sharesDeltaPct: string | null;
  weightBefore: string;
  weightAfter: string;
  /** Percentage points. */
  weightDelta: string;
  /** Shares traded valued at the snapshot's price (market value / shares); "0" for drift. */
  estimatedTradeValue: string;
}

export interface FundDiff {
  fund: string;
  baselineDate: string | null;
  date: string;
  /** Why there is no diff (first run, ...), or null. */
  note: string | null;
  changes: HoldingChange[];
  unchangedCount: number;
}

export interface TickerSummary {
  symbol: string;
  company: string;
  /** buying / selling across the funds, mixed, or drift only. */
  direction: 'buying' | 'selling' | 'mixed' | 'drift';
  netSharesDelta: string;
  netEstimatedTradeValue: string;
  funds: { fund: string; label: ChangeLabel; sharesDelta: string }[];
}

export interface Thresholds {
  /** Minimum |share change| relative to the baseline, percent, for a buy or a sell. */
  sharePct: string;
  /** Minimum |weight change|, percentage points, for a drift line. */
  weightPoints: string;
}

export interface ArkReport {
  generatedAt: string;
  thresholds: Thresholds;
  funds: FundDiff[];
  summary: TickerSummary[];
  failures: { fund: string; error: string }[];
}
