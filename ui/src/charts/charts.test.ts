import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { PnlPoint } from '../api/types';
import { positionRows } from '../lib/positions';
import { dailyPl, dailyPlSpec, equitySpec, valueDomain } from './pnl';
import { distributionSpec, unrealizedSpec } from './positions';
import { GAIN, LOSS } from './theme';

const rows = positionRows([
  {
    symbol: 'AAPL',
    qty: '40',
    side: 'long',
    avg_entry_price: '182.5',
    current_price: '190',
    market_value: '7600',
    unrealized_pl: '300',
    unrealized_plpc: '0.04',
    as_of: '',
    provenance: 'confirmed',
    asset_id: null,
    cost_basis: '0',
    lastday_price: null,
    unrealized_intraday_pl: null,
  },
  {
    symbol: 'TSLA',
    qty: '-10',
    side: 'short',
    avg_entry_price: '250',
    current_price: '260',
    market_value: '-2600',
    unrealized_pl: '-100',
    unrealized_plpc: '-0.04',
    as_of: '',
    provenance: 'confirmed',
    asset_id: null,
    cost_basis: '0',
    lastday_price: null,
    unrealized_intraday_pl: null,
  },
  {
    symbol: 'FLAT',
    qty: '0',
    side: 'long',
    avg_entry_price: '1',
    current_price: '1',
    market_value: '0',
    unrealized_pl: '0',
    unrealized_plpc: '0',
    as_of: '',
    provenance: 'confirmed',
    asset_id: null,
    cost_basis: '0',
    lastday_price: null,
    unrealized_intraday_pl: null,
  },
]);

function values(spec: unknown): Array<Record<string, unknown>> {
  return (spec as { data: { values: Array<Record<string, unknown>> } }).data.values;
}

const points: PnlPoint[] = [
  {
    at: '2026-01-02T15:00:00Z',
    equity: '1010',
    pl: '10',
    day_pl: '5',
    source: 'sync',
    cash: '0',
    pl_pct: null,
  },
  {
    at: '2026-01-01T00:00:00Z',
    equity: '1000',
    pl: '0',
    day_pl: '0',
    source: 'history',
    cash: '0',
    pl_pct: null,
  },
  {
    at: '2026-01-02T20:00:00Z',
    equity: '990',
    pl: '-10',
    day_pl: '-15',
    source: 'sync',
    cash: '0',
    pl_pct: null,
  },
  { at: 'garbage', equity: '1', pl: '0', day_pl: '0', source: 'sync', cash: '0', pl_pct: null },
];

describe('chart specs', () => {
  it('distribution: weights by absolute market value, flat positions left out', () => {
    const spec = distributionSpec(rows);
    expect(values(spec).map((v) => [v.symbol, v.value])).toEqual([
      ['AAPL', 7600],
      ['TSLA', 2600],
    ]);
    expect(Number(values(spec)[0]?.weight).toFixed(4)).toBe((7600 / 10200).toFixed(4));
    expect(JSON.stringify(spec)).toContain('"type":"arc"');
  });

  it('unrealized P&L: one bar per position, coloured green for gains and red for losses', () => {
    const spec = unrealizedSpec(rows);
    expect(values(spec).map((v) => [v.symbol, v.pl, v.tone])).toEqual([
      ['AAPL', 300, 'gain'],
      ['TSLA', -100, 'loss'],
      ['FLAT', 0, 'gain'],
    ]);
    const text = JSON.stringify(spec);
    expect(text).toContain(GAIN);
    expect(text).toContain(LOSS);
  });

  it('equity curve: valid points in time order', () => {
    expect(values(equitySpec(points)).map((v) => v.equity)).toEqual([1000, 1010, 990]);
  });

  it('daily P/L: the last point of each UTC day', () => {
    expect(dailyPl(points)).toEqual([
      { day: '2026-01-01', dayPl: 0, equity: 1000 },
      { day: '2026-01-02', dayPl: -15, equity: 990 },
    ]);
    expect(values(dailyPlSpec(points)).map((v) => v.tone)).toEqual(['gain', 'loss']);
  });

  it('keeps noise flat: the y domain spans at least the minimum, around the data or zero', () => {
    expect(valueDomain([126_600, 126_599.97], 253.2).domain).toEqual([126_473.385, 126_726.585]);
    expect(valueDomain([100, 200], 10)).toEqual({ domain: [100, 200], format: '$,.0f' });
    expect(valueDomain([-0.03], 250, true).domain).toEqual([-125, 125]);
    expect(valueDomain([1, 2], 0).format).toBe('$,.2f');
    expect(valueDomain([], 10).domain).toEqual([0, 1]);
  });

  it('every spec compiles with Vega-Lite, also with no data', () => {
    for (const spec of [
      distributionSpec(rows),
      unrealizedSpec(rows),
      equitySpec(points),
      dailyPlSpec(points),
      distributionSpec([]),
      equitySpec([]),
    ]) {
      expect(() => compile(spec)).not.toThrow();
    }
  });
});
