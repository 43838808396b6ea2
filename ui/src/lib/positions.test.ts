import { describe, expect, it } from 'vitest';
import type { Position } from '../api/types';
import { nextSort, positionRows, positionTotals, sortRows } from './positions';

function pos(symbol: string, qty: string, mv: string, pl: string, side: Position['side'] = 'long'): Position {
  return {
    symbol,
    qty,
    side,
    avg_entry_price: '10',
    current_price: '11',
    market_value: mv,
    unrealized_pl: pl,
    unrealized_plpc: '0.1',
    as_of: '2026-01-01T00:00:00Z',
    provenance: 'confirmed',
    asset_id: null,
    cost_basis: '0',
    lastday_price: null,
    unrealized_intraday_pl: null,
  };
}

describe('position rows', () => {
  const rows = positionRows([pos('AAPL', '10', '750', '50'), pos('TSLA', '-5', '-250', '-20', 'short')]);

  it('weights positions by absolute market value, so shorts count toward the distribution', () => {
    expect(rows.map((r) => [r.symbol, r.weight])).toEqual([
      ['AAPL', 0.75],
      ['TSLA', 0.25],
    ]);
  });

  it('gives zero weights rather than NaN when everything is flat', () => {
    expect(positionRows([pos('X', '0', '0', '0')])[0]?.weight).toBe(0);
  });

  it('sorts by any column, nulls last, ties by symbol', () => {
    expect(sortRows(rows, { key: 'unrealizedPl', dir: 'asc' }).map((r) => r.symbol)).toEqual([
      'TSLA',
      'AAPL',
    ]);
    expect(sortRows(rows, { key: 'symbol', dir: 'desc' }).map((r) => r.symbol)).toEqual(['TSLA', 'AAPL']);
    const withNull = [...rows, { ...rows[0]!, symbol: 'ZZZ', price: null }];
    expect(sortRows(withNull, { key: 'price', dir: 'desc' }).at(-1)?.symbol).toBe('ZZZ');
    expect(sortRows(withNull, { key: 'price', dir: 'asc' }).at(-1)?.symbol).toBe('ZZZ');
  });

  it('toggles the direction on the same column and picks a natural one for a new column', () => {
    expect(nextSort({ key: 'weight', dir: 'desc' }, 'weight')).toEqual({ key: 'weight', dir: 'asc' });
    expect(nextSort({ key: 'weight', dir: 'desc' }, 'symbol')).toEqual({ key: 'symbol', dir: 'asc' });
    expect(nextSort({ key: 'symbol', dir: 'asc' }, 'marketValue')).toEqual({
      key: 'marketValue',
      dir: 'desc',
    });
  });

  it('totals market value, gross value and unrealized P/L against cost', () => {
    const t = positionTotals(rows);
    expect(t.marketValue).toBe(500);
    expect(t.grossValue).toBe(1000);
    expect(t.unrealizedPl).toBe(30);
    expect(t.unrealizedPlPct).toBeCloseTo(30 / (700 + 230));
    expect(positionTotals([]).unrealizedPlPct).toBeNull();
  });
});
