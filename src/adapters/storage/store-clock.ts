/**
 * The store's clock (the one-clock rule): on Postgres the database server's `clock_timestamp()`,
 * shared by every host that uses the database; on SQLite this host's Date (one host by
 * construction). Every time another process compares (lease expiry, command and draft expiry,
 * heartbeat ages, the embedded bus's visibility timeout) is read from here or computed in SQL
 * with `nowMsSql`, never from a host's own clock when the database is Postgres.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Timestamp } from '../../core/time.js';
import { type Db, dialectOf } from './database.js';

/** Epoch milliseconds on the Postgres server, evaluated where the SQL runs. */
const PG_NOW_MS = sql<number>`floor(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/**
 * "Now" in epoch ms as an SQL expression: computed by the Postgres server, or this host's
 * Date.now() bound as a parameter on SQLite. Build it per statement (the SQLite value is read
 * when this is called).
 */
export function nowMsSql(db: Db): RawBuilder<number> {
  // better-sqlite3 binds a JS number as REAL: cast it, so integer arithmetic stays integer.
  return dialectOf(db) === 'postgres' ? PG_NOW_MS : sql<number>`cast(${Date.now()} as integer)`;
}

/** The store's "now" in epoch milliseconds (one round trip on Postgres). */
export async function storeNowMs(db: Db): Promise<number> {
  if (dialectOf(db) !== 'postgres') return Date.now();
  const { rows } = await sql<{ now_ms: number | string }>`select ${PG_NOW_MS} as now_ms`.execute(db);
  const ms = Number(rows[0]?.now_ms);
  if (!Number.isFinite(ms)) throw new Error('the database did not return its clock');
  return ms;
}

/** The store's "now" as a Timestamp ("2026-08-03T13:31:02.401Z", Date#toISOString's form). */
export async function storeNow(db: Db): Promise<Timestamp> {
  return new Date(await storeNowMs(db)).toISOString();
}

/** SQL text "YYYY-MM-DDTHH:MM:SS" (UTC) of an epoch-ms integer expression, integer math only. */
function secondsText(db: Db, ms: RawBuilder<unknown>): RawBuilder<string> {
  return dialectOf(db) === 'postgres'
    ? sql<string>`to_char((timestamptz 'epoch' + (${ms} / 1000) * interval '1 second') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')`
    : sql<string>`strftime('%Y-%m-%dT%H:%M:%S', cast(${ms} as integer) / 1000, 'unixepoch')`;
}

/** SQL for the three millisecond digits of an epoch-ms integer expression. */
function millisText(db: Db, ms: RawBuilder<unknown>): RawBuilder<string> {
  return dialectOf(db) === 'postgres'
    ? sql<string>`lpad((${ms} % 1000)::text, 3, '0')`
    : sql<string>`substr('00' || (cast(${ms} as integer) % 1000), -3, 3)`;
}

/** SQL for the Timestamp of an epoch-ms expression (same text as Date#toISOString). */
export function isoFromMsSql(db: Db, ms: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`${secondsText(db, ms)} || '.' || ${millisText(db, ms)} || 'Z'`;
}

/** SQL for the sortable time key (row-values.ts `timeKey`) of an epoch-ms expression. */
export function timeKeyFromMsSql(db: Db, ms: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`${secondsText(db, ms)} || '.' || ${millisText(db, ms)} || '000000Z'`;
}
