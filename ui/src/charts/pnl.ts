/**
 * Vega-Lite specs for P&L over time from GET /state/pnl points (stored snapshots and imported
 * history): the equity curve, and daily P/L bars (the last point of each UTC day).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PnlPoint } from '../api/types';
import { num } from '../lib/format';
import { ACCENT, baseConfig, tone, toneScale } from './theme';

export interface DailyPl {
  day: string;
  dayPl: number;
  equity: number;
}

/** One entry per UTC day: its last point's day P/L and equity, oldest first. */
export function dailyPl(points: readonly PnlPoint[]): DailyPl[] {
  const byDay = new Map<string, { at: number; dayPl: number; equity: number }>();
  for (const p of points) {
    const at = Date.parse(p.at);
    const equity = num(p.equity);
    if (!Number.isFinite(at) || equity === null) continue;
    const day = new Date(at).toISOString().slice(0, 10);
    const prev = byDay.get(day);
    if (!prev || at >= prev.at) byDay.set(day, { at, dayPl: num(p.day_pl) ?? 0, equity });
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, v]) => ({ day, dayPl: v.dayPl, equity: v.equity }));
}

export function equitySpec(points: readonly PnlPoint[]): TopLevelSpec {
  const values = points
    .map((p) => ({ at: p.at, equity: num(p.equity), pl: num(p.pl) ?? 0, source: p.source }))
    .filter((v) => v.equity !== null && Number.isFinite(Date.parse(v.at)))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: 'Equity curve',
    data: { values },
    width: 'container',
    height: 200,
    autosize: { type: 'fit', contains: 'padding' },
    encoding: {
      x: { field: 'at', type: 'temporal', axis: { title: null, format: '%b %d', labelOverlap: true } },
      y: {
        field: 'equity',
        type: 'quantitative',
        scale: { zero: false },
        axis: { title: 'Equity ($)', format: '$,.0f' },
      },
    },
    layer: [
      {
        mark: {
          type: 'line',
          color: ACCENT,
          strokeWidth: 2,
          interpolate: 'monotone',
          point: { size: 14, filled: true },
        },
        encoding: {
          tooltip: [
            { field: 'at', type: 'temporal', title: 'Time', format: '%Y-%m-%d %H:%M' },
            { field: 'equity', type: 'quantitative', title: 'Equity', format: '$,.2f' },
            { field: 'pl', type: 'quantitative', title: 'P/L', format: '$,.2f' },
          ],
        },
      },
    ],
    config: baseConfig,
  };
  return spec;
}

export function dailyPlSpec(points: readonly PnlPoint[]): TopLevelSpec {
  const values = dailyPl(points).map((d) => ({ ...d, tone: tone(d.dayPl) }));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: 'Daily P/L',
    data: { values },
    width: 'container',
    height: 200,
    autosize: { type: 'fit', contains: 'padding' },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x: {
            field: 'day',
            type: 'temporal',
            timeUnit: 'utcyearmonthdate',
            axis: { title: null, format: '%b %d' },
          },
          y: { field: 'dayPl', type: 'quantitative', axis: { title: 'Daily P/L ($)', format: '$,.0f' } },
          color: { field: 'tone', type: 'nominal', scale: toneScale, legend: null },
          tooltip: [
            { field: 'day', type: 'nominal', title: 'Day' },
            { field: 'dayPl', type: 'quantitative', title: 'Daily P/L', format: '$,.2f' },
            { field: 'equity', type: 'quantitative', title: 'Equity', format: '$,.2f' },
          ],
        },
      },
      { mark: { type: 'rule', color: '#475569' }, encoding: { y: { datum: 0 } } },
    ],
    config: baseConfig,
  };
  return spec;
}
