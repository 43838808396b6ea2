/**
 * The wire shapes the UI reads from the control plane (docs/api.md): snake_case, decimals as
 * strings, RFC 3339 times. Only the fields the page uses are declared; the API may send more.
 */
export type Environment = 'paper' | 'live';
export type TradingStateName = 'ACTIVE' | 'REDUCING' | 'HALTED';

export interface EngineInfo {
  environment: Environment;
  holder?: string;
  version?: string;
  stream_state: string;
  heartbeat_at: string;
  last_event_at: string | null;
  last_sync_at: string | null;
  lag_ms: number | null;
}

export interface TradingState {
  state: TradingStateName;
  reason: string | null;
  changed_by: string | null;
  changed_at: string | null;
}

export interface Profile {
  profile_id: string;
  environment: Environment | null;
  api_environment: Environment;
  environment_match: boolean;
  engine: EngineInfo | null;
  trading_state: TradingState;
}

export interface Position {
  symbol: string;
  qty: string;
  side: string;
  avg_entry_price: string;
  cost_basis?: string;
  current_price: string | null;
  market_value: string | null;
  unrealized_pl: string | null;
  unrealized_plpc: string | null;
  as_of: string;
  provenance: string;
}

export interface Account {
  as_of: string;
  status: string;
  currency: string;
  equity: string;
  cash: string;
  buying_power: string;
  last_equity: string | null;
  day_pl: string | null;
  day_pl_pct: string | null;
  trading_blocked: boolean;
  account_blocked: boolean;
}

export interface Order {
  id: string;
  client_order_id: string;
  symbol: string;
  side: string;
  type: string;
  time_in_force?: string;
  qty: string | null;
  notional?: string | null;
  filled_qty: string;
  filled_avg_price: string | null;
  limit_price: string | null;
  stop_price: string | null;
  status: string;
  submitted_at?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
}

export interface Fill {
  id?: string;
  execution_id?: string;
  order_id: string;
  symbol: string;
  side: string;
  qty: string;
  price: string;
  at?: string;
  filled_at?: string;
  occurred_at?: string;
}

export interface PnlPoint {
  at: string;
  equity: string;
  pl: string;
  pl_pct?: string | null;
  day_pl: string | null;
  source: string;
}

export type CommandStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'rejected' | 'expired';

export interface Command {
  id: string;
  type: string;
  status: CommandStatus;
  payload: Record<string, unknown> | null;
  actor?: string | null;
  result: Record<string, unknown> | null;
  error: { code?: string; message?: string } | string | null;
  created_at: string;
  updated_at?: string | null;
}

export interface RiskCheck {
  check: string;
  passed: boolean;
  code: string | null;
  message: string;
}

export interface Draft {
  id: string;
  status: string;
  intent: Record<string, unknown> & { symbol: string; side: string; type: string };
  preview: {
    estimated_price: string | null;
    estimated_notional: string | null;
    share_of_equity: string | null;
    buying_power_after: string | null;
    resulting_position_qty: string | null;
  };
  verdict: { allowed: boolean; checks: RiskCheck[] };
  expires_at: string;
  command_id?: string | null;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
