/**
 * Renders the run's report as markdown (for people and e-mail) and JSON (for machines). Both are
 * built from the same ArkReport value, so they always agree.
 */
import { dec } from '../../core/decimal.js';
import type { ArkReport, ChangeLabel, FundDiff, HoldingChange, TickerSummary } from './ark-types.js';

const LABEL_TEXT: Record<ChangeLabel, string> = {
  new: 'NEW',
  exit: 'EXIT',
  buy: 'BUY',
  sell: 'SELL',
  drift: 'weight drift (no trade)',
  unchanged: 'unchanged',
};

/** 1234567.891 -> "1,234,567.89" (display only; the JSON keeps the exact decimal). */
export function formatNumber(value: string, places = 0): string {
  const fixed = dec(value).toFixed(places);
  const [int = '0', frac] = fixed.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`;
}

function signed(value: string, places = 0): string {
  return dec(value).isPositive() && !dec(value).isZero()
    ? `+${formatNumber(value, places)}`
    : formatNumber(value, places);
}

/** Signed dollars: "+$1,234", "-$5,001,563", "$0". */
function money(value: string): string {
  const text = signed(value);
  return /^[+-]/.test(text) ? `${text[0]}$${text.slice(1)}` : `$${text}`;
}

function changeRow(c: HoldingChange): string {
  const pct = c.sharesDeltaPct === null ? '' : ` (${signed(c.sharesDeltaPct, 2)}%)`;
  const shares = c.label === 'drift' ? formatNumber(c.sharesAfter) : `${signed(c.sharesDelta)}${pct}`;
  const weight = `${c.weightBefore}% → ${c.weightAfter}% (${signed(c.weightDelta, 2)} pp)`;
  const value = c.label === 'drift' ? '—' : money(c.estimatedTradeValue);
  return `| ${LABEL_TEXT[c.label]} | ${c.symbol} | ${c.company} | ${shares} | ${weight} | ${value} |`;
}

function fundSection(diff: FundDiff): string[] {
  const since = diff.baselineDate ? `${diff.baselineDate} → ${diff.date}` : diff.date;
  const lines = [`## ${diff.fund} (${since})`, ''];
  if (diff.note) lines.push(`_${diff.note}_`, '');
  if (diff.changes.length === 0) {
    if (diff.baselineDate) lines.push('No changes above the thresholds.', '');
    return lines;
  }
  lines.push(
    '| change | ticker | company | shares | weight | est. trade value |',
    '| --- | --- | --- | ---: | --- | ---: |',
  );
  lines.push(...diff.changes.map(changeRow), '');
  if (diff.unchangedCount > 0) lines.push(`${diff.unchangedCount} other holding(s) unchanged.`, '');
  return lines;
}

function summaryRow(s: TickerSummary): string {
  const funds = s.funds.map(
    (f) => `${f.fund} ${LABEL_TEXT[f.label]}${f.label === 'drift' ? '' : ` ${signed(f.sharesDelta)}`}`,
  );
  return `| ${s.symbol} | ${s.company} | ${s.direction} | ${signed(s.netSharesDelta)} | ${money(s.netEstimatedTradeValue)} | ${funds.join('; ')} |`;
}

export function renderMarkdown(report: ArkReport): string {
  const lines = [
    '# ARK ETF holdings changes',
    '',
    `Generated ${report.generatedAt}. Thresholds: share change ≥ ${report.thresholds.sharePct}% for a buy or sell, weight change ≥ ${report.thresholds.weightPoints} pp for drift. Weight drift means the weight moved while the shares did not: it is a price effect, not a sale or a purchase.`,
    '',
  ];
  if (report.failures.length > 0) {
    lines.push('## Failed funds', '', ...report.failures.map((f) => `- ${f.fund}: ${f.error}`), '');
  }
  lines.push('## Summary across ETFs', '');
  if (report.summary.length === 0) lines.push('No changes above the thresholds.', '');
  else {
    lines.push(
      '| ticker | company | direction | net shares | net est. value | funds |',
      '| --- | --- | --- | ---: | ---: | --- |',
    );
    lines.push(...report.summary.map(summaryRow), '');
  }
  for (const diff of report.funds) lines.push(...fundSection(diff));
  return `${lines.join('\n').trimEnd()}\n`;
}

export function renderJson(report: ArkReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
