/** Row shapes of commands, drafts and the per-profile trading state. JSON columns hold text. */
export interface CommandsTable {
  profile_id: string;
  id: string;
  type: string;
  payload: string;
  actor: string;
  idempotency_key: string | null;
  correlation_id: string;
  status: string;
  result: string | null;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  created_at: string;
  created_at_key: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  expires_at: string | null;
}

export interface DraftsTable {
  profile_id: string;
  id: string;
  intent: string;
  content_hash: string;
  preview: string;
  verdict: string;
  status: string;
  actor: string;
  created_at: string;
  created_at_key: string;
  expires_at: string;
  expires_at_key: string;
  command_id: string | null;
}

export interface TradingStateTable {
  profile_id: string;
  state: string;
  reason: string;
  changed_by: string;
  changed_at: string;
}
