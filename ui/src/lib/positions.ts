/**
 * Position rows for the table and charts: weights by absolute market value, sorting by any
 * column, and totals. Pure: the same positions give the same rows.
 */
import type { Position } from '../api/types';
import { num } from './format';

export interface PositionRow {
  symbol: string;
  side: string;
  qty: number;
  avgEntry: number | null;
  price: number | null;
  marketValue: number;
  /** abs(market value) / sum of abs(market value), 0..1. */
  weight: number;
  unrealizedPl: number | null;
  /** Fraction (0.05 = 5 %). */
  unrealizedPlPct: number | null;
  provenance: string;
}

export type SortKey = Exclude<keyof PositionRow, 'provenance'>;
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export function positionRows(positions: readonly Position[]): PositionRow[] {
  const values = positions.map((p) => num(p.market_value) ?? 0);
  const gross = values.reduce((a, v) => a + Math.abs(v), 0);
  return positions.map((p, i) => {
    const mv = values[i] ?? 0;
    return {
      symbol: p.symbol,
      side: p.side,
      qty: num(p.qty) ?? 0,
      avgEntry: num(p.avg_entry_price),
      price: num(p.current_price),
      marketValue: mv,
      weight: gross === 0 ? 0 : Math.abs(mv) / gross,
      unrealizedPl: num(p.unrealized_pl),
      unrealizedPlPct: num(p.unrealized_plpc),
      provenance: p.provenance,
    };
  });
}

/** Sorted copy; nulls always last; ties broken by symbol so the order is stable. */
export function sortRows(rows: readonly PositionRow[], sort: Sort): PositionRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[sort.key];
    const y = b[sort.key];
    if (x === null && y !== null) return 1;
    if (y === null && x !== null) return -1;
    let c = 0;
    if (typeof x === 'number' && typeof y === 'number') c = x - y;
    else if (x !== null && y !== null) c = String(x).localeCompare(String(y));
    return c === 0 ? a.symbol.localeCompare(b.symbol) : c * sign;
  });
}

/** Clicking a header: a new column sorts descending for numbers, ascending for text; again flips. */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: key === 'symbol' || key === 'side' ? 'asc' : 'desc' };
}

export interface PositionTotals {
  marketValue: number;
  grossValue: number;
  unrealizedPl: number;
  /** Unrealized P/L against the total cost basis (fraction), or null when there is none. */
  unrealizedPlPct: number | null;
  count: number;
}

export function positionTotals(rows: readonly PositionRow[]): PositionTotals {
  let marketValue = 0;
  let grossValue = 0;
  let unrealizedPl = 0;
  let cost = 0;
  for (const r of rows) {
    marketValue += r.marketValue;
    grossValue += Math.abs(r.marketValue);
    unrealizedPl += r.unrealizedPl ?? 0;
    cost += Math.abs(r.marketValue - (r.unrealizedPl ?? 0));
  }
  return {
    marketValue,
    grossValue,
    unrealizedPl,
    unrealizedPlPct: cost === 0 ? null : unrealizedPl / cost,
    count: rows.length,
  };
}
