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

/**
 * A y domain that spans at least `minSpan`, so noise (a few cents on six figures) is drawn as
 * the flat line it is rather than stretched over the whole chart; with its axis label format.
 */
export function valueDomain(
  values: readonly number[],
  minSpan: number,
  includeZero = false,
): { domain: [number, number]; format: string } {
  let lo = Math.min(...values, ...(includeZero ? [0] : []));
  let hi = Math.max(...values, ...(includeZero ? [0] : []));
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { domain: [0, 1], format: '$,.0f' };
  if (hi - lo < minSpan) {
    const mid = includeZero ? 0 : (lo + hi) / 2;
    lo = Math.min(lo, mid - minSpan / 2);
    hi = Math.max(hi, mid + minSpan / 2);
  }
  return { domain: [lo, hi], format: hi - lo < 20 ? '$,.2f' : '$,.0f' };
}

export function equitySpec(points: readonly PnlPoint[]): TopLevelSpec {
  const values = points
    .map((p) => ({ at: p.at, equity: num(p.equity), pl: num(p.pl) ?? 0, source: p.source }))
    .filter((v) => v.equity !== null && Number.isFinite(Date.parse(v.at)))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const equities = values.map((v) => v.equity as number);
  // At least 0.2 % of equity top to bottom.
  const y = valueDomain(equities, Math.max(1, Math.max(...equities.map(Math.abs), 0) * 0.002));
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
        scale: { zero: false, domain: y.domain, nice: true },
        axis: { title: 'Equity ($)', format: y.format },
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
  const days = dailyPl(points);
  const values = days.map((d) => ({ ...d, tone: tone(d.dayPl) }));
  // At least 0.1 % of equity either side of zero.
  const y = valueDomain(
    days.map((d) => d.dayPl),
    Math.max(2, Math.max(...days.map((d) => d.equity), 0) * 0.002),
    true,
  );
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
          y: {
            field: 'dayPl',
            type: 'quantitative',
            scale: { domain: y.domain, nice: true },
            axis: { title: 'Daily P/L ($)', format: y.format },
          },
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
