/** Row shapes of the append-only audit chain and its per-profile head (the lock and the tip). */
export interface AuditEventsTable {
  profile_id: string;
  seq: number;
  at: string;
  at_key: string;
  actor: string;
  action: string;
  reason: string | null;
  subject_type: string | null;
  subject_id: string | null;
  correlation_id: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadsTable {
  profile_id: string;
  seq: number;
  hash: string;
}
