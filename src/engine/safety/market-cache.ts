/**
 * The market cache the pre-submit risk check may read instead of the broker: the quotes, asset
 * profiles and broker clock the market-data refresher (../market-data.ts) last READ from the
 * broker, each with the engine time of that read (`readAt`, taken when the request was sent, so an
 * entry is never younger than the broker data in it). Read-only; the refresher is the only writer.
 *
 * The freshness rules live here, in one place, and are deliberately tight, so a cached value is
 * as good as a REST read made moments before the submit:
 * - a quote counts for QUOTE_MAX_AGE_MS after it was read (the refresher re-reads the quotes of
 *   positions, open orders and drafted symbols every ~2 s): a quote younger than the bound is at
 *   most a couple of refresher cycles old. The quote's own timestamp is not used: a quiet symbol's
 *   last trade may be old yet still be the broker's latest;
 * - an asset profile counts for the asset refresh period (daily by default): its flags change
 *   rarely (listing, shortability), and the broker still refuses a non-tradable or non-shortable
 *   order at the submit itself;
 * - the broker clock counts until its next open or close (whichever comes next: the only moments
 *   `is_open` changes) and for at most CLOCK_MAX_AGE_MS after it was read (the refresher re-reads
 *   it once a minute; a stalled refresher must not leave a clock in use for long).
 * Anything missing or older is read from the broker by the caller.
 */
import type { Asset, MarketClock, Quote } from '../../ports/broker.js';

/** A value the refresher read from the broker, and when (engine clock, epoch ms). */
export interface Cached<T> {
  readonly value: T;
  readonly readAt: number;
}

export interface MarketCache {
  quote(symbol: string): Cached<Quote> | null;
  asset(symbol: string): Cached<Asset> | null;
  clock(): Cached<MarketClock> | null;
}

/** A cached quote older than this (since it was read from the broker) is read again. */
export const QUOTE_MAX_AGE_MS = 5_000;
/** A cached broker clock older than this is read again, even before its next open or close. */
export const CLOCK_MAX_AGE_MS = 120_000;

const within = (readAt: number, nowMs: number, maxAgeMs: number) =>
  nowMs - readAt >= 0 && nowMs - readAt < maxAgeMs;

/** The cached quote of `symbol` if it was read less than QUOTE_MAX_AGE_MS ago, else null. */
export function freshQuote(cache: MarketCache, symbol: string, nowMs: number): Quote | null {
  const hit = cache.quote(symbol);
  return hit && within(hit.readAt, nowMs, QUOTE_MAX_AGE_MS) ? hit.value : null;
}

/** The cached asset profile of `symbol` if it was read less than `maxAgeMs` ago, else null. */
export function freshAsset(
  cache: MarketCache,
  symbol: string,
  nowMs: number,
  maxAgeMs: number,
): Asset | null {
  const hit = cache.asset(symbol);
  return hit && within(hit.readAt, nowMs, maxAgeMs) ? hit.value : null;
}

/** The cached broker clock if it is still before its next open or close and recent, else null. */
export function freshClock(cache: MarketCache, nowMs: number): MarketClock | null {
  const hit = cache.clock();
  if (!hit || !within(hit.readAt, nowMs, CLOCK_MAX_AGE_MS)) return null;
  const next = nextSessionChange(hit.value);
  return Number.isFinite(next) && nowMs < next ? hit.value : null;
}

/** When `is_open` next changes (epoch ms): the next close while open, else the next open. */
export function nextSessionChange(clock: MarketClock): number {
  return Date.parse(clock.isOpen ? clock.nextClose : clock.nextOpen);
}
