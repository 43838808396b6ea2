/**
 * The cross-ETF view: every holding that moved in any fund, grouped by symbol, with the net
 * share change and the net estimated trade value across funds. Drift lines are listed but never
 * counted as buying or selling.
 */
import { dec, str, ZERO } from '../../core/decimal.js';
import type { FundDiff, TickerSummary } from './ark-types.js';

function direction(labels: readonly string[]): TickerSummary['direction'] {
  const buys = labels.some((l) => l === 'buy' || l === 'new');
  const sells = labels.some((l) => l === 'sell' || l === 'exit');
  if (buys && sells) return 'mixed';
  if (buys) return 'buying';
  if (sells) return 'selling';
  return 'drift';
}

export function summariseByTicker(diffs: readonly FundDiff[]): TickerSummary[] {
  const groups = new Map<string, { company: string; changes: FundDiff['changes'] }>();
  for (const diff of diffs) {
    for (const c of diff.changes) {
      const group = groups.get(c.symbol) ?? { company: c.company, changes: [] };
      group.changes.push(c);
      groups.set(c.symbol, group);
    }
  }
  const summaries: TickerSummary[] = [];
  for (const [symbol, { company, changes }] of groups) {
    const trades = changes.filter((c) => c.label !== 'drift');
    summaries.push({
      symbol,
      company,
      direction: direction(changes.map((c) => c.label)),
      netSharesDelta: str(trades.reduce((sum, c) => sum.plus(c.sharesDelta), ZERO)),
      netEstimatedTradeValue: str(trades.reduce((sum, c) => sum.plus(c.estimatedTradeValue), ZERO)),
      funds: changes.map((c) => ({
        fund: c.fund,
        label: c.label,
        sharesDelta: c.label === 'drift' ? '0' : c.sharesDelta,
      })),
    });
  }
  return summaries.sort(
    (a, b) =>
      dec(b.netEstimatedTradeValue).abs().comparedTo(dec(a.netEstimatedTradeValue).abs()) ||
      a.symbol.localeCompare(b.symbol),
  );
}
