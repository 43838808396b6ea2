/**
 * The readable shapes the earnings tool works with, after the provider wire formats have been
 * mapped at the edge. Dates are calendar dates (YYYY-MM-DD); timed macro events keep their
 * wall-clock time in their own time zone so the ICS and Google outputs need no offset arithmetic.
 */

/** When in the trading day a company reports: before open, after close, during market hours. */
export type EarningsTime = 'bmo' | 'amc' | 'dmh' | 'unknown';

export type EarningsSource = 'fmp' | 'finnhub';

export interface EarningsEvent {
  symbol: string;
  /** YYYY-MM-DD, the report date. */
  date: string;
  time: EarningsTime;
  /** Decimal strings as reported, or null when the provider has no estimate. */
  epsEstimate: string | null;
  revenueEstimate: string | null;
  source: EarningsSource;
}

export interface MacroEvent {
  /** The provider's id, stable across fetches. */
  id: string;
  name: string;
  country: string;
  /** YYYY-MM-DD in `timeZone`. */
  date: string;
  /** HH:MM:SS wall-clock time in `timeZone`, or null for an all-day event. */
  time: string | null;
  timeZone: 'America/New_York';
  /** 1 (low) to 3 (high), or null when unknown. */
  importance: number | null;
  period: string | null;
}

/** An event as the calendar outputs (ICS, Google) see it. `key` is stable across runs. */
export interface CalendarEntry {
  key: string;
  summary: string;
  description: string;
  start: { date: string } | { dateTime: string; timeZone: 'America/New_York' };
  /** Exclusive end: the next day for all-day events. */
  end: { date: string } | { dateTime: string; timeZone: 'America/New_York' };
}
