/**
 * The look shared by every chart: the page's dark palette, tabular axis labels, and the P&L
 * colours (gain green, loss red) with enough contrast on the panel background.
 */
import type { Config } from 'vega-lite';

export const GAIN = '#34d399';
export const LOSS = '#f87171';
export const ACCENT = '#60a5fa';
export const MUTED = '#94a3b8';
export const GRID = '#1f2a3a';

/** Categorical palette for symbols (distinguishable on dark, colour-blind aware order). */
export const SYMBOL_PALETTE = [
  '#60a5fa',
  '#fbbf24',
  '#a78bfa',
  '#34d399',
  '#f472b6',
  '#22d3ee',
  '#fb923c',
  '#a3e635',
  '#e879f9',
  '#94a3b8',
];

export const baseConfig: Config = {
  background: 'transparent',
  view: { stroke: null },
  font: 'Inter, system-ui, sans-serif',
  axis: {
    labelColor: MUTED,
    titleColor: MUTED,
    gridColor: GRID,
    domainColor: GRID,
    tickColor: GRID,
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 500,
  },
  legend: { labelColor: '#cbd5e1', titleColor: MUTED, labelFontSize: 12, titleFontSize: 11 },
  title: { color: '#e2e8f0' },
};

/** The sign tone of a value, the domain the P&L colour scale maps. */
export function tone(value: number): 'gain' | 'loss' {
  return value < 0 ? 'loss' : 'gain';
}

export const toneScale = { domain: ['gain', 'loss'], range: [GAIN, LOSS] };
