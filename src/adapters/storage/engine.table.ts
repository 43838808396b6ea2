/** Row shapes of the engine's lease, its heartbeat and the per-profile watermarks. */
import type { ColumnType } from 'kysely';

/** A bigint column: pg reads it back as a string, better-sqlite3 as a number. */
type BigIntColumn = ColumnType<number | string, number, number>;

export interface EngineLeaseTable {
  profile_id: string;
  holder: string;
  /** Readable form of expires_at_ms (RFC 3339, ms digits) and its sortable key. */
  expires_at: string;
  expires_at_key: string;
  /** Fencing token: +1 on every takeover, kept on renewal, never lowered (migration 0007). */
  token: ColumnType<number, number | undefined, number>;
  /** Expiry in epoch ms by the store's clock: what every expiry decision compares. */
  expires_at_ms: BigIntColumn;
  /** 1 once released by its holder (the row is kept so the token stays monotonic). */
  released: ColumnType<number, number | undefined, number>;
}

export interface EngineHeartbeatTable {
  profile_id: string;
  environment: string;
  holder: string;
  version: string;
  stream_state: string;
  last_event_at: string | null;
  last_sync_at: string | null;
  lag_ms: number | null;
  at: string;
  detail: string;
}

export interface WatermarksTable {
  profile_id: string;
  key: string;
  value: string;
}
