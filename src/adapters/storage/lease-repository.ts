/**
 * The per-profile engine lease with its fencing token (migration 0007). What it must preserve:
 *
 * - `take` is ONE statement (insert, or update only when the lease is ours, expired or released),
 *   so two engines racing for a profile cannot both win, in one process or in two;
 * - expiry is decided by the store's clock alone (store-clock.ts): the Postgres server's, or this
 *   host's on SQLite; the expiry is stored as epoch ms and compared in SQL;
 * - the token increases by one on every takeover (another holder, or after expiry or release) and
 *   is kept on renewal; a release keeps the row (marked released), so the token never goes back;
 * - `guard` and the fenced writes (`fenceHoldsSql`) check holder + token + unexpired in the same
 *   statement as the read or write they protect.
 */
import { type RawBuilder, sql } from 'kysely';
import { TRADING_STATES, type TradingState } from '../../core/trading-state.js';
import {
  type Fence,
  type Lease,
  type LeaseGrant,
  type LeaseRepository,
  StaleFenceError,
} from '../../ports/store.js';
import type { Db } from './database.js';
import { oneOf } from './row-values.js';
import { isoFromMsSql, nowMsSql, timeKeyFromMsSql } from './store-clock.js';

/** Takes or renews the lease for `ttlMs` by the store's clock; null when another holder has it. */
export async function takeLease(
  db: Db,
  profileId: string,
  holder: string,
  ttlMs: number,
): Promise<LeaseGrant | null> {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`lease ttl must be positive, got ${ttlMs}`);
  const ttl = Math.ceil(ttlMs);
  const until = sql.ref('c.until_ms');
  // The store's "now" of this statement is excluded.expires_at_ms - ttl (one clock reading).
  const now = sql`excluded.expires_at_ms - ${ttl}`;
  const { rows } = await sql<{ token: number | string; expires_at: string }>`
    insert into engine_lease (profile_id, holder, token, expires_at_ms, expires_at, expires_at_key, released)
    select ${profileId}, ${holder}, 1, c.until_ms, ${isoFromMsSql(db, until)}, ${timeKeyFromMsSql(db, until)}, 0
    from (select ${nowMsSql(db)} + ${ttl} as until_ms) as c
    where true
    on conflict (profile_id) do update set
      holder = excluded.holder,
      token = case
        when engine_lease.holder = excluded.holder and engine_lease.expires_at_ms > ${now}
        then engine_lease.token
        else engine_lease.token + 1
      end,
      expires_at_ms = excluded.expires_at_ms,
      expires_at = excluded.expires_at,
      expires_at_key = excluded.expires_at_key,
      released = 0
    where engine_lease.holder = excluded.holder or engine_lease.expires_at_ms <= ${now}
    returning token, expires_at`.execute(db);
  const row = rows[0];
  return row ? { token: Number(row.token), expiresAt: row.expires_at } : null;
}

/**
 * Gives the lease back when `holder` holds it: marked released and expired (the row and its token
 * stay, so the next taker continues from it).
 */
export async function releaseLease(db: Db, profileId: string, holder: string): Promise<void> {
  await db
    .updateTable('engine_lease')
    .set({ released: 1, expires_at_ms: 0 })
    .where('profile_id', '=', profileId)
    .where('holder', '=', holder)
    .execute();
}

/** The current lease (expired ones included, so the holder can be named); null when free. */
export async function getLease(db: Db, profileId: string): Promise<Lease | null> {
  const row = await db
    .selectFrom('engine_lease')
    .select(['profile_id', 'holder', 'expires_at', 'token'])
    .where('profile_id', '=', profileId)
    .where('released', '=', 0)
    .executeTakeFirst();
  return row
    ? { profileId: row.profile_id, holder: row.holder, expiresAt: row.expires_at, token: Number(row.token) }
    : null;
}

/** SQL that is true while `fence` holds the profile's unexpired lease by the store's clock. */
export function fenceHoldsSql(db: Db, profileId: string, fence: Fence): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from engine_lease where profile_id = ${profileId} and holder = ${fence.holder} and token = ${fence.token} and expires_at_ms > ${nowMsSql(db)})`;
}

/**
 * One read: throws StaleFenceError unless `fence` holds the unexpired lease; returns the durable
 * trading state (ACTIVE when none was ever stored).
 */
export async function guardLease(db: Db, profileId: string, fence: Fence): Promise<TradingState> {
  const { rows } = await sql<{ holds: number | boolean; state: string | null }>`
    select case when ${fenceHoldsSql(db, profileId, fence)} then 1 else 0 end as holds,
      (select state from trading_state where profile_id = ${profileId}) as state`.execute(db);
  const row = rows[0];
  if (!row || Number(row.holds) !== 1) throw new StaleFenceError(profileId, fence);
  return row.state === null ? 'ACTIVE' : oneOf(TRADING_STATES, row.state, 'trading_state', 'state');
}

export function leaseRepository(db: Db): LeaseRepository {
  return {
    take: (profileId, holder, ttlMs) => takeLease(db, profileId, holder, ttlMs),
    release: (profileId, holder) => releaseLease(db, profileId, holder),
    get: (profileId) => getLease(db, profileId),
    guard: (profileId, fence) => guardLease(db, profileId, fence),
  };
}
