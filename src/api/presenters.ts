/**
 * Domain objects to their wire shapes (snake_case JSON, decimals as strings, RFC 3339 times).
 * The one place the API decides what a client sees; the route schemas in schemas.ts describe
 * exactly these shapes (fast-json-stringify drops anything a schema does not declare).
 */
import type { Command } from '../core/command.js';
import type { Draft } from '../core/draft.js';
import type { Fill } from '../core/fill.js';
import type { Order } from '../core/order.js';
import type { OrderIntent } from '../core/order-request.js';
import { type AccountSnapshot, dayPl, type Position } from '../core/position.js';
import { timestampMs } from '../core/time.js';
import type { TradingStateRecord } from '../core/trading-state.js';
import type { Heartbeat } from '../ports/store.js';

const snakeNames = new Map<string, string>();

/** snake_case of a camelCase key, memoised: the set of keys is small and this runs per row. */
function snakeName(key: string): string {
  let name = snakeNames.get(key);
  if (name === undefined) {
    name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    snakeNames.set(key, name);
  }
  return name;
}

/** camelCase keys to snake_case, one level deep (nested objects are mapped by their caller). */
export function snakeKeys(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in value) out[snakeName(key)] = (value as Record<string, unknown>)[key];
  return out;
}

export function positionWire(p: Position): Record<string, unknown> {
  const wire = snakeKeys(p);
  wire.provenance = p.provenance === 'rest' ? 'confirmed' : 'provisional';
  return wire;
}

export function orderWire(o: Order): Record<string, unknown> {
  return snakeKeys(o);
}

export function fillWire(f: Fill): Record<string, unknown> {
  return snakeKeys(f);
}

export function commandWire(c: Command): Record<string, unknown> {
  return snakeKeys(c);
}

export function intentWire(intent: OrderIntent): Record<string, unknown> {
  return snakeKeys(intent);
}

/** A draft as clients see it; never the live confirmation phrase (the person types it from the order). */
export function draftWire(d: Draft): Record<string, unknown> {
  return {
    id: d.id,
    profile_id: d.profileId,
    status: d.status,
    intent: intentWire(d.intent),
    content_hash: d.contentHash,
    created_at: d.createdAt,
    expires_at: d.expiresAt,
    preview: snakeKeys(d.preview),
    verdict: { allowed: d.verdict.allowed, checks: d.verdict.checks.map(snakeKeys) },
    command_id: d.commandId,
  };
}

export function accountWire(a: AccountSnapshot): Record<string, unknown> {
  const pl = dayPl(a);
  const pct = pl.fraction === null ? null : String(Number((Number(pl.fraction) * 100).toFixed(6)));
  return {
    as_of: a.at,
    status: a.status,
    currency: a.currency,
    equity: a.equity,
    cash: a.cash,
    buying_power: a.buyingPower,
    last_equity: a.lastEquity,
    long_market_value: a.longMarketValue,
    short_market_value: a.shortMarketValue,
    day_pl: pl.amount,
    day_pl_pct: pct,
    trading_blocked: a.tradingBlocked,
    account_blocked: a.accountBlocked,
    source: a.source,
  };
}

export function tradingStateWire(r: TradingStateRecord | null): Record<string, unknown> {
  if (r === null)
    return { state: 'ACTIVE', reason: 'default (never changed)', changed_by: null, changed_at: null };
  return { state: r.state, reason: r.reason, changed_by: r.changedBy, changed_at: r.changedAt };
}

export function engineWire(h: Heartbeat | null, nowMs: number): Record<string, unknown> | null {
  if (h === null) return null;
  return {
    environment: h.environment,
    holder: h.holder,
    version: h.version,
    stream_state: h.streamState,
    heartbeat_at: h.at,
    heartbeat_age_ms: Math.max(0, nowMs - timestampMs(h.at)),
    last_event_at: h.lastEventAt,
    last_sync_at: h.lastSyncAt,
    lag_ms: h.lagMs,
  };
}
