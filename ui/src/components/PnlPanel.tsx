/** P&L over time: the equity curve and daily P/L from stored snapshots and imported history. */
import { useMemo } from 'react';
import type { PnlPoint } from '../api/types';
import { dailyPlSpec, equitySpec } from '../charts/pnl';
import { Chart } from './Chart';

export function PnlPanel({ points }: { points: PnlPoint[] }) {
  const equity = useMemo(() => equitySpec(points), [points]);
  const daily = useMemo(() => dailyPlSpec(points), [points]);
  const none = points.length === 0 ? 'No snapshots yet.' : null;
  return (
    <section className="panel" aria-labelledby="pnl-h" data-testid="pnl-panel">
      <div className="panel-head">
        <h2 id="pnl-h">P&amp;L over time</h2>
        <span className="muted small">{points.length} snapshots</span>
      </div>
      <div className="charts-2">
        <Chart spec={equity} label="Equity curve" testId="chart-equity" empty={none} />
        <Chart spec={daily} label="Daily P/L" testId="chart-daily-pl" empty={none} />
      </div>
    </section>
  );
}
