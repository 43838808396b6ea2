/**
 * The engine's coordination rows. The lease is taken by one SQL statement (insert, or update only
 * when the lease is expired or already ours), so two engines racing for a profile cannot both
 * win, whether they share a process or not. Heartbeats and watermarks are plain upserts.
 */
import type { Selectable } from 'kysely';
import type { Timestamp } from '../../core/time.js';
import type {
  Heartbeat,
  HeartbeatRepository,
  Lease,
  LeaseRepository,
  WatermarkRepository,
} from '../../ports/store.js';
import type { Db } from './database.js';
import type { EngineHeartbeatTable } from './engine.table.js';
import { fromJson, oneOf, timeKey, toJson } from './row-values.js';

/** Takes or renews the lease when it is free, expired (at or before `now`) or held by `holder`. */
export async function acquireLease(
  db: Db,
  profileId: string,
  holder: string,
  now: Timestamp,
  expiresAt: Timestamp,
): Promise<boolean> {
  const values = { holder, expires_at: expiresAt, expires_at_key: timeKey(expiresAt) };
  const row = await db
    .insertInto('engine_lease')
    .values({ profile_id: profileId, ...values })
    .onConflict((oc) =>
      oc
        .column('profile_id')
        .doUpdateSet(values)
        .where((eb) =>
          eb.or([
            eb('engine_lease.holder', '=', holder),
            eb('engine_lease.expires_at_key', '<=', timeKey(now)),
          ]),
        ),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === holder;
}

/** Releases the lease only when `holder` holds it. */
export async function releaseLease(db: Db, profileId: string, holder: string): Promise<void> {
  await db
    .deleteFrom('engine_lease')
    .where('profile_id', '=', profileId)
    .where('holder', '=', holder)
    .execute();
}

export async function getLease(db: Db, profileId: string): Promise<Lease | null> {
  const row = await db
    .selectFrom('engine_lease')
    .select(['profile_id', 'holder', 'expires_at'])
    .where('profile_id', '=', profileId)
    .executeTakeFirst();
  return row ? { profileId: row.profile_id, holder: row.holder, expiresAt: row.expires_at } : null;
}

export function rowToHeartbeat(row: Selectable<EngineHeartbeatTable>): Heartbeat {
  return {
    profileId: row.profile_id,
    environment: oneOf(['paper', 'live'] as const, row.environment, 'engine_heartbeat', 'environment'),
    holder: row.holder,
    version: row.version,
    streamState: row.stream_state,
    lastEventAt: row.last_event_at,
    lastSyncAt: row.last_sync_at,
    lagMs: row.lag_ms === null ? null : Number(row.lag_ms),
    at: row.at,
    detail: fromJson(row.detail, 'engine_heartbeat', 'detail'),
  };
}

export async function writeHeartbeat(db: Db, h: Heartbeat): Promise<void> {
  const values = {
    environment: h.environment,
    holder: h.holder,
    version: h.version,
    stream_state: h.streamState,
    last_event_at: h.lastEventAt,
    last_sync_at: h.lastSyncAt,
    lag_ms: h.lagMs === null ? null : Math.round(h.lagMs),
    at: h.at,
    detail: toJson(h.detail),
  };
  await db
    .insertInto('engine_heartbeat')
    .values({ profile_id: h.profileId, ...values })
    .onConflict((oc) => oc.column('profile_id').doUpdateSet(values))
    .execute();
}

export async function readHeartbeat(db: Db, profileId: string): Promise<Heartbeat | null> {
  const row = await db
    .selectFrom('engine_heartbeat')
    .selectAll()
    .where('profile_id', '=', profileId)
    .executeTakeFirst();
  return row ? rowToHeartbeat(row) : null;
}

export async function getWatermark(db: Db, profileId: string, key: string): Promise<string | null> {
  const row = await db
    .selectFrom('watermarks')
    .select('value')
    .where('profile_id', '=', profileId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value ?? null;
}

export async function setWatermark(db: Db, profileId: string, key: string, value: string): Promise<void> {
  await db
    .insertInto('watermarks')
    .values({ profile_id: profileId, key, value })
    .onConflict((oc) => oc.columns(['profile_id', 'key']).doUpdateSet({ value }))
    .execute();
}

export function leaseRepository(db: Db): LeaseRepository {
  return {
    acquire: (profileId, holder, now, expiresAt) => acquireLease(db, profileId, holder, now, expiresAt),
    release: (profileId, holder) => releaseLease(db, profileId, holder),
    get: (profileId) => getLease(db, profileId),
  };
}

export function heartbeatRepository(db: Db): HeartbeatRepository {
  return {
    write: (heartbeat) => writeHeartbeat(db, heartbeat),
    read: (profileId) => readHeartbeat(db, profileId),
  };
}

export function watermarkRepository(db: Db): WatermarkRepository {
  return {
    get: (profileId, key) => getWatermark(db, profileId, key),
    set: (profileId, key, value) => setWatermark(db, profileId, key, value),
  };
}
