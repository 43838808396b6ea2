/**
 * Vega-Lite specs for the positions panel, built from position rows by pure functions:
 * the distribution by absolute market value (a donut, like the original Altair pie) and the
 * unrealized P&L per position (bars, green above zero, red below).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PositionRow } from '../lib/positions';
import { baseConfig, SYMBOL_PALETTE, tone, toneScale } from './theme';

export function distributionSpec(rows: readonly PositionRow[]): TopLevelSpec {
  const values = rows
    .filter((r) => r.marketValue !== 0)
    .map((r) => ({
      symbol: r.symbol,
      weight: r.weight,
      value: Math.abs(r.marketValue),
      side: r.side,
    }));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: 'Position distribution by absolute market value',
    data: { values },
    width: 'container',
    height: 220,
    autosize: { type: 'fit', contains: 'padding' },
    mark: { type: 'arc', innerRadius: 58, outerRadius: 100, stroke: '#0b1220', strokeWidth: 2 },
    encoding: {
      theta: { field: 'value', type: 'quantitative', stack: true },
      color: {
        field: 'symbol',
        type: 'nominal',
        sort: { field: 'value', order: 'descending' },
        scale: { range: SYMBOL_PALETTE },
        legend: { title: null, orient: 'right', labelExpr: 'datum.label' },
      },
      order: { field: 'value', type: 'quantitative', sort: 'descending' },
      tooltip: [
        { field: 'symbol', type: 'nominal', title: 'Symbol' },
        { field: 'weight', type: 'quantitative', title: 'Weight', format: '.1%' },
        { field: 'value', type: 'quantitative', title: 'Abs. market value', format: '$,.2f' },
        { field: 'side', type: 'nominal', title: 'Side' },
      ],
    },
    config: baseConfig,
  };
  return spec;
}

export function unrealizedSpec(rows: readonly PositionRow[]): TopLevelSpec {
  const values = rows.map((r) => ({
    symbol: r.symbol,
    pl: r.unrealizedPl ?? 0,
    plpc: r.unrealizedPlPct ?? 0,
    tone: tone(r.unrealizedPl ?? 0),
  }));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: 'Unrealized P&L per position',
    data: { values },
    width: 'container',
    height: 220,
    autosize: { type: 'fit', contains: 'padding' },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 2 },
        encoding: {
          x: { field: 'symbol', type: 'nominal', sort: '-y', axis: { title: null, labelAngle: 0 } },
          y: { field: 'pl', type: 'quantitative', axis: { title: 'Unrealized P/L ($)', format: '$,.0f' } },
          color: { field: 'tone', type: 'nominal', scale: toneScale, legend: null },
          tooltip: [
            { field: 'symbol', type: 'nominal', title: 'Symbol' },
            { field: 'pl', type: 'quantitative', title: 'Unrealized P/L', format: '$,.2f' },
            { field: 'plpc', type: 'quantitative', title: 'Unrealized P/L %', format: '+.2%' },
          ],
        },
      },
      { mark: { type: 'rule', color: '#475569' }, encoding: { y: { datum: 0 } } },
    ],
    config: baseConfig,
  };
  return spec;
}
