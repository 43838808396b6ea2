/**
 * The engine's heartbeat and named watermarks: plain upserts per profile. (The lease, with its
 * fencing token, lives in lease-repository.ts.)
 */
import type { Selectable } from 'kysely';
import type { Heartbeat, HeartbeatRepository, WatermarkRepository } from '../../ports/store.js';
import type { Db } from './database.js';
import type { EngineHeartbeatTable } from './engine.table.js';
import { fromJson, oneOf, toJson } from './row-values.js';

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
