/** Row shapes of the ledger's order table (decimals and timestamps as text, booleans as 0/1). */
export interface OrdersTable {
  profile_id: string;
  id: string;
  client_order_id: string;
  symbol: string;
  asset_class: string;
  side: string;
  type: string;
  time_in_force: string;
  order_class: string;
  qty: string | null;
  notional: string | null;
  filled_qty: string;
  filled_avg_price: string | null;
  limit_price: string | null;
  stop_price: string | null;
  trail_price: string | null;
  trail_percent: string | null;
  extended_hours: number;
  status: string;
  created_at: string;
  /** Fixed-width UTC text of created_at (see time-key.ts): sorts and filters chronologically. */
  created_at_key: string;
  updated_at: string | null;
  submitted_at: string | null;
  filled_at: string | null;
  canceled_at: string | null;
  expired_at: string | null;
  failed_at: string | null;
  replaced_at: string | null;
  replaced_by: string | null;
  replaces: string | null;
}
