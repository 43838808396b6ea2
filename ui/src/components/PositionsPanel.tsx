/**
 * Positions: the distribution by absolute market value, unrealized P&L per position, and the
 * sortable table with totals. Header buttons sort (aria-sort tells assistive tech the order).
 */
import { useMemo, useState } from 'react';
import type { Position } from '../api/types';
import { distributionSpec, unrealizedSpec } from '../charts/positions';
import { fmtAge, fmtFraction, fmtMoney, fmtPrice, fmtQty, fmtSignedMoney, plTone } from '../lib/format';
import { nextSort, positionRows, positionTotals, type Sort, type SortKey, sortRows } from '../lib/positions';
import { Chart } from './Chart';

const COLUMNS: Array<{ key: SortKey; label: string; numeric: boolean }> = [
  { key: 'symbol', label: 'Symbol', numeric: false },
  { key: 'side', label: 'Side', numeric: false },
  { key: 'qty', label: 'Qty', numeric: true },
  { key: 'avgEntry', label: 'Avg entry', numeric: true },
  { key: 'price', label: 'Price', numeric: true },
  { key: 'marketValue', label: 'Market value', numeric: true },
  { key: 'weight', label: 'Weight', numeric: true },
  { key: 'unrealizedPl', label: 'Unrealized P/L', numeric: true },
  { key: 'unrealizedPlPct', label: 'Unrealized P/L %', numeric: true },
];

interface Props {
  positions: Position[];
  asOf: string | null;
  provenance: string | null;
  now: number;
}

export function PositionsPanel({ positions, asOf, now }: Props) {
  const [sort, setSort] = useState<Sort>({ key: 'weight', dir: 'desc' });
  const rows = useMemo(() => positionRows(positions), [positions]);
  const sorted = useMemo(() => sortRows(rows, sort), [rows, sort]);
  const totals = useMemo(() => positionTotals(rows), [rows]);
  const dist = useMemo(() => distributionSpec(rows), [rows]);
  const upl = useMemo(() => unrealizedSpec(rows), [rows]);
  const provisional = positions.some((p) => p.provenance === 'provisional');
  const none = rows.length === 0 ? 'No open positions.' : null;
  return (
    <section className="panel" aria-labelledby="positions-h" data-testid="positions-panel">
      <div className="panel-head">
        <h2 id="positions-h">Positions</h2>
        <span className="muted small">
          {rows.length} open · as of {asOf ? `${fmtAge(now - Date.parse(asOf))} ago` : '—'}
          {provisional ? ' · provisional (from stream events, REST confirmation pending)' : ''}
        </span>
      </div>
      <div className="charts-2">
        <Chart
          spec={dist}
          label="Distribution by absolute market value"
          testId="chart-distribution"
          empty={none}
        />
        <Chart spec={upl} label="Unrealized P&L per position" testId="chart-unrealized" empty={none} />
      </div>
      <div className="table-wrap">
        <table className="table" data-testid="positions-table">
          <caption className="sr-only">Open positions, sortable by any column</caption>
          <thead>
            <tr>
              {COLUMNS.map((c) => {
                const active = sort.key === c.key;
                return (
                  <th
                    key={c.key}
                    scope="col"
                    className={c.numeric ? 'num' : undefined}
                    aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                  >
                    <button type="button" className="sort" onClick={() => setSort((s) => nextSort(s, c.key))}>
                      {c.label}
                      <span aria-hidden="true" className="sort-ind">
                        {active ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr key={r.symbol} data-symbol={r.symbol}>
                <th scope="row" className="sym">
                  {r.symbol}
                </th>
                <td>
                  <span className={`side side-${r.side}`}>{r.side}</span>
                </td>
                <td className="num" data-col="qty">
                  {fmtQty(r.qty)}
                </td>
                <td className="num">{fmtPrice(r.avgEntry)}</td>
                <td className="num">{fmtPrice(r.price)}</td>
                <td className="num">{fmtMoney(r.marketValue)}</td>
                <td className="num">
                  <span className="weight">
                    <span
                      className="weight-bar"
                      style={{ width: `${Math.max(2, Math.round(r.weight * 60))}px` }}
                      aria-hidden="true"
                    />
                    {fmtFraction(r.weight, false, 1)}
                  </span>
                </td>
                <td className={`num tone-${plTone(r.unrealizedPl)}`}>{fmtSignedMoney(r.unrealizedPl)}</td>
                <td className={`num tone-${plTone(r.unrealizedPlPct)}`}>{fmtFraction(r.unrealizedPlPct)}</td>
              </tr>
            ))}
          </tbody>
          {rows.length ? (
            <tfoot>
              <tr data-testid="positions-totals">
                <th scope="row">Total</th>
                <td />
                <td />
                <td />
                <td />
                <td className="num">{fmtMoney(totals.marketValue)}</td>
                <td className="num">100%</td>
                <td className={`num tone-${plTone(totals.unrealizedPl)}`}>
                  {fmtSignedMoney(totals.unrealizedPl)}
                </td>
                <td className={`num tone-${plTone(totals.unrealizedPlPct)}`}>
                  {fmtFraction(totals.unrealizedPlPct)}
                </td>
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
    </section>
  );
}
