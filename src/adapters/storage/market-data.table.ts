/** Row shapes of the market-data cache: asset profiles, latest quotes, watched symbols. */
export interface AssetsTable {
  profile_id: string;
  symbol: string;
  name: string;
  status: string;
  tradable: number;
  fractionable: number;
  shortable: number;
  easy_to_borrow: number;
  updated_at: string;
  updated_at_key: string;
}

export interface QuotesTable {
  profile_id: string;
  symbol: string;
  last: string | null;
  bid: string | null;
  ask: string | null;
  at: string;
  at_key: string;
}

export interface WatchedSymbolsTable {
  profile_id: string;
  symbol: string;
  requested_at: string;
  requested_at_key: string;
}
