/**
 * The tradable universe: asset records in Alpaca's wire shape plus the opening price of each.
 * Must preserve: asset ids are stable for a symbol (derived from it), so tests and restarts agree.
 */
import { stableUuid } from './rng.js';

export interface SimAsset {
  symbol: string;
  name: string;
  exchange: string;
  /** Opening price, a decimal string. */
  price: string;
  tradable: boolean;
  fractionable: boolean;
  shortable: boolean;
  easyToBorrow: boolean;
  marginable: boolean;
  status: 'active' | 'inactive';
  /** Trades in the overnight session (attribute `overnight_tradable`; default false). */
  overnightTradable: boolean;
}

/** An asset as given in options: only symbol and price are required. */
export type AssetSpec = Pick<SimAsset, 'symbol' | 'price'> & Partial<SimAsset>;

const DEFAULTS: AssetSpec[] = [
  { symbol: 'AAPL', price: '190.00', name: 'Apple Inc. Common Stock', overnightTradable: true },
  { symbol: 'MSFT', price: '420.00', name: 'Microsoft Corporation Common Stock', overnightTradable: true },
  { symbol: 'NVDA', price: '120.00', name: 'NVIDIA Corporation Common Stock', overnightTradable: true },
  { symbol: 'AMZN', price: '180.00', name: 'Amazon.com, Inc. Common Stock', overnightTradable: true },
  { symbol: 'GOOGL', price: '170.00', name: 'Alphabet Inc. Class A Common Stock', overnightTradable: true },
  {
    symbol: 'META',
    price: '500.00',
    name: 'Meta Platforms, Inc. Class A Common Stock',
    overnightTradable: true,
  },
  { symbol: 'TSLA', price: '250.00', name: 'Tesla, Inc. Common Stock', overnightTradable: true },
  {
    symbol: 'AMD',
    price: '160.00',
    name: 'Advanced Micro Devices, Inc. Common Stock',
    overnightTradable: true,
  },
  {
    symbol: 'SPY',
    price: '550.00',
    name: 'SPDR S&P 500 ETF Trust',
    exchange: 'ARCA',
    overnightTradable: true,
  },
  { symbol: 'QQQ', price: '470.00', name: 'Invesco QQQ Trust, Series 1', overnightTradable: true },
  { symbol: 'F', price: '11.50', name: 'Ford Motor Company Common Stock', exchange: 'NYSE' },
  { symbol: 'SIRI', price: '0.5000', name: 'Sirius XM (sub-dollar test asset)' },
  {
    symbol: 'BRK.A',
    price: '620000.00',
    name: 'Berkshire Hathaway (not fractionable)',
    fractionable: false,
    exchange: 'NYSE',
  },
  {
    symbol: 'GME',
    price: '25.00',
    name: 'GameStop (hard to borrow)',
    shortable: true,
    easyToBorrow: false,
    exchange: 'NYSE',
  },
  { symbol: 'HALT', price: '10.00', name: 'Halted Corp (not tradable)', tradable: false },
  { symbol: 'GONE', price: '5.00', name: 'Delisted Corp (inactive)', status: 'inactive', tradable: false },
];

export function defaultUniverse(): AssetSpec[] {
  return DEFAULTS.map((a) => ({ ...a }));
}

export function completeAsset(spec: AssetSpec): SimAsset {
  return {
    name: spec.symbol,
    exchange: 'NASDAQ',
    tradable: true,
    fractionable: true,
    shortable: true,
    easyToBorrow: true,
    marginable: true,
    status: 'active',
    overnightTradable: false,
    ...spec,
  };
}

export function assetId(symbol: string): string {
  return stableUuid(`asset:${symbol}`);
}

/** The asset object of GET /v2/assets. */
export function assetToWire(a: SimAsset): Record<string, unknown> {
  return {
    id: assetId(a.symbol),
    class: 'us_equity',
    exchange: a.exchange,
    symbol: a.symbol,
    name: a.name,
    status: a.status,
    tradable: a.tradable,
    marginable: a.marginable,
    maintenance_margin_requirement: 30,
    margin_requirement_long: '30',
    margin_requirement_short: '30',
    shortable: a.shortable,
    easy_to_borrow: a.easyToBorrow,
    borrow_status: a.easyToBorrow ? 'easy_to_borrow' : 'hard_to_borrow',
    fractionable: a.fractionable,
    attributes: [
      ...(a.fractionable ? ['fractional_eh_enabled'] : []),
      ...(a.overnightTradable ? ['overnight_tradable'] : []),
    ],
  };
}

/** Assets by symbol and by id, for `symbol_or_asset_id` lookups. */
export class AssetRegistry {
  private readonly bySymbol = new Map<string, SimAsset>();
  private readonly byId = new Map<string, SimAsset>();

  constructor(specs: AssetSpec[]) {
    for (const spec of specs) {
      const asset = completeAsset(spec);
      this.bySymbol.set(asset.symbol, asset);
      this.byId.set(assetId(asset.symbol), asset);
    }
  }

  get(symbolOrId: string): SimAsset | undefined {
    return this.bySymbol.get(symbolOrId) ?? this.byId.get(symbolOrId);
  }

  all(): SimAsset[] {
    return [...this.bySymbol.values()];
  }
}
