/** Row shapes of the current position snapshot and the account time series. */
export interface PositionsTable {
  profile_id: string;
  symbol: string;
  asset_id: string | null;
  qty: string;
  side: string;
  avg_entry_price: string;
  cost_basis: string;
  current_price: string | null;
  lastday_price: string | null;
  market_value: string | null;
  unrealized_pl: string | null;
  unrealized_plpc: string | null;
  unrealized_intraday_pl: string | null;
  as_of: string;
  provenance: string;
}

export interface AccountSnapshotsTable {
  profile_id: string;
  at: string;
  at_key: string;
  status: string;
  currency: string;
  cash: string;
  equity: string;
  last_equity: string;
  buying_power: string;
  long_market_value: string;
  short_market_value: string;
  multiplier: string;
  shorting_enabled: number;
  trading_blocked: number;
  account_blocked: number;
  trade_suspended_by_user: number;
  source: string;
}
