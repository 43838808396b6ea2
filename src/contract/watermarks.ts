/**
 * The named per-profile values in the `watermarks` table: every key, what it holds and the zod
 * schema of its stored text. Writers and readers (engine, API, storage adapter) go through
 * `readWatermark`/`writeWatermark` (or at least `WATERMARKS.<name>.key`), so a key or a payload
 * shape is defined once. Must preserve: the stored text stays what earlier releases wrote (plain
 * text for timestamps, decimals and flags; JSON for `market_session`), so a running database
 * keeps working across the upgrade. A stored value that does not parse reads as null (unknown),
 * never as a guess; writing one that does not parse is a programmer error and throws.
 */
import { z } from 'zod';
import { isDecimal } from '../core/decimal.js';
import { MARKET_SESSIONS } from '../core/risk/risk-types.js';
import { toTimestamp } from '../core/time.js';

const isTimestamp = (value: string): boolean => {
  try {
    toTimestamp(value);
    return true;
  } catch {
    return false;
  }
};

/** An RFC 3339 timestamp (core/time.ts). */
export const timestampText = z.string().refine(isTimestamp, 'expected an RFC 3339 timestamp');
/** A decimal number as text (core/decimal.ts). */
export const decimalText = z.string().refine(isDecimal, 'expected a decimal number');

/** The market session the engine last saw, and when (the store's clock). */
export const marketSessionSchema = z.object({ session: z.enum(MARKET_SESSIONS), at: timestampText });
export type MarketSessionMark = z.infer<typeof marketSessionSchema>;

export interface Watermark<K extends string, T> {
  key: K;
  /** The schema of the value (for `json` marks, of the parsed JSON). */
  schema: z.ZodType<T>;
  /** Stored as JSON text (else the value is the stored text itself). */
  json: boolean;
  /** Who writes it and what it means. */
  meaning: string;
}

function mark<K extends string, T>(key: K, schema: z.ZodType<T>, json: boolean, meaning: string) {
  return { key, schema, json, meaning } satisfies Watermark<K, T>;
}

export const WATERMARKS = {
  marketSession: mark(
    'market_session',
    marketSessionSchema,
    true,
    'engine (market data, every cycle): the market session and when it was read; the API draft preview reads it',
  ),
  lossLimitTripped: mark(
    'loss_limit_tripped',
    decimalText,
    false,
    'engine: the last_equity the daily loss limit tripped on, so it trips once per trading day',
  ),
  killSwitchSuspended: mark(
    'kill_switch_suspended',
    z.enum(['true', 'false']),
    false,
    "engine: 'true' while the kill switch has set the broker's suspend_trade; a resume lifts it",
  ),
  positionsRevision: mark(
    'positions_revision',
    z.string().min(1),
    false,
    'storage: an opaque value that changes with every write to the positions; readers compare it',
  ),
  ordersAfter: mark(
    'orders_after',
    timestampText,
    false,
    'engine (reconciliation): orders are re-read from this time on',
  ),
  fillsAfter: mark(
    'fills_after',
    timestampText,
    false,
    'engine (reconciliation): fills are re-read from this time on',
  ),
  historyImportedUntil: mark(
    'history_imported_until',
    timestampText,
    false,
    'engine (startup): the last portfolio-history point imported into the account series',
  ),
} as const;

export type WatermarkName = keyof typeof WATERMARKS;
export type WatermarkKey = (typeof WATERMARKS)[WatermarkName]['key'];
export const WATERMARK_KEYS: readonly WatermarkKey[] = Object.values(WATERMARKS).map((w) => w.key);

/** The subset of the store's watermark repository these helpers use. */
export interface WatermarkStore {
  get(profileId: string, key: string): Promise<string | null>;
  set(profileId: string, key: string, value: string): Promise<void>;
}

/** The stored text of `value`; throws when it does not match the mark's schema. */
export function encodeWatermark<T>(w: Watermark<string, T>, value: T): string {
  const parsed = w.schema.parse(value);
  return w.json ? JSON.stringify(parsed) : String(parsed);
}

/** The value stored, or null when there is none or it does not match the schema. */
export function decodeWatermark<T>(w: Watermark<string, T>, raw: string | null): T | null {
  if (raw === null) return null;
  let value: unknown = raw;
  if (w.json) {
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  const result = w.schema.safeParse(value);
  return result.success ? result.data : null;
}

export async function readWatermark<T>(
  store: WatermarkStore,
  profileId: string,
  w: Watermark<string, T>,
): Promise<T | null> {
  return decodeWatermark(w, await store.get(profileId, w.key));
}

export async function writeWatermark<T>(
  store: WatermarkStore,
  profileId: string,
  w: Watermark<string, T>,
  value: T,
): Promise<void> {
  await store.set(profileId, w.key, encodeWatermark(w, value));
}
