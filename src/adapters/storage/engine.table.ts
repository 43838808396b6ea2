/** Row shapes of the engine's lease, its heartbeat and the per-profile watermarks. */
export interface EngineLeaseTable {
  profile_id: string;
  holder: string;
  expires_at: string;
  expires_at_key: string;
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
