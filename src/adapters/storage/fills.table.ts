/** Row shape of the fills table: one row per broker execution id and profile. */
export interface FillsTable {
  profile_id: string;
  execution_id: string;
  order_id: string;
  client_order_id: string | null;
  symbol: string;
  side: string;
  qty: string;
  price: string;
  at: string;
  at_key: string;
  position_qty: string | null;
  source: string;
}
