import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArkCsv } from './ark-csv.js';
import { diffFund } from './ark-diff.js';
import { renderJson, renderMarkdown } from './ark-report.js';
import { summariseByTicker } from './ark-summary.js';
import type { ArkReport, Holding, Snapshot, Thresholds } from './ark-types.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'ark', 'raw');
const load = (set: string, fund: string) =>
  parseArkCsv(readFileSync(join(FIXTURES, set, `${fund}.csv`), 'utf8'), fund);
const T: Thresholds = { sharePct: '1', weightPoints: '0.1' };

const row = (diff: ReturnType<typeof diffFund>) =>
  diff.changes.map((c) => [c.label, c.symbol, c.sharesDelta, c.weightBefore, c.weightAfter]);

describe('ARK holdings diff (recorded ARKW/ARKX pair)', () => {
  it('finds every ARKW change: new AIRO, buy TSLA, sell ROKU, exit SHOP', () => {
    const diff = diffFund(load('pair-old', 'ARKW'), load('pair-new', 'ARKW'), T);
    expect(row(diff)).toEqual([
      ['new', 'AIRO', '250000', '0', '1.49'],
      ['buy', 'TSLA', '10000', '9.79', '10.29'],
      ['sell', 'ROKU', '-50000', '5.16', '4.81'],
      ['exit', 'SHOP', '-673788', '4.88', '0'],
    ]);
    const tsla = diff.changes.find((c) => c.symbol === 'TSLA')!;
    expect(tsla.sharesDeltaPct).toBe('1.88');
    // 10,000 shares at the new price 239,470,756.70 / 542,767
    expect(tsla.estimatedTradeValue).toBe('4412036.04');
    const shop = diff.changes.find((c) => c.symbol === 'SHOP')!;
    expect(shop.estimatedTradeValue).toBe('-116976334.68');
    expect(diff.unchangedCount).toBe(47);
    expect(diff.note).toBe('the baseline has the same date as this snapshot');
  });

  it('finds every ARKX change: new SKYW, buy RKLB, sell AVAV', () => {
    const diff = diffFund(load('pair-old', 'ARKX'), load('pair-new', 'ARKX'), T);
    expect(row(diff)).toEqual([
      ['new', 'SKYW', '150000', '0', '2.89'],
      ['buy', 'RKLB UQ', '10000', '9.04', '9.45'],
      ['sell', 'AVAV', '-5000', '8.45', '7.82'],
    ]);
    expect(diff.changes.find((c) => c.symbol === 'AVAV')!.sharesDeltaPct).toBe('-4.15');
  });

  it('keeps holdings without a ticker apart by CUSIP', () => {
    const diff = diffFund(load('pair-old', 'ARKW'), load('pair-old', 'ARKW'), T);
    expect(diff.changes).toEqual([]);
    expect(diff.unchangedCount).toBe(load('pair-old', 'ARKW').holdings.length);
  });

  it('raises the share threshold until the smaller trades are no longer reported', () => {
    const diff = diffFund(load('pair-old', 'ARKW'), load('pair-new', 'ARKW'), {
      sharePct: '2',
      weightPoints: '1',
    });
    expect(diff.changes.map((c) => c.symbol)).toEqual(['AIRO', 'ROKU', 'SHOP']);
  });
});

const holding = (ticker: string, shares: string, weightPct: string, marketValue = '1000'): Holding => ({
  company: `${ticker} INC`,
  ticker,
  cusip: `${ticker}000000`,
  shares,
  marketValue,
  weightPct,
});
const snap = (fund: string, date: string, holdings: Holding[]): Snapshot => ({ fund, date, holdings });

describe('ARK diff labels', () => {
  it('labels a weight move with unchanged shares as drift, never as a trade', () => {
    const diff = diffFund(
      snap('ARKK', '2025-10-30', [holding('ABC', '100', '5.00')]),
      snap('ARKK', '2025-10-31', [holding('ABC', '100', '4.20')]),
      T,
    );
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]).toMatchObject({
      label: 'drift',
      sharesDelta: '0',
      weightDelta: '-0.8',
      estimatedTradeValue: '0',
    });
  });

  it('treats share moves under the threshold as drift or unchanged, by the weight threshold', () => {
    const before = snap('ARKK', '2025-10-30', [
      holding('ABC', '10000', '5.00'),
      holding('XYZ', '10000', '3.00'),
    ]);
    const after = snap('ARKK', '2025-10-31', [
      holding('ABC', '10050', '5.50'),
      holding('XYZ', '10050', '3.05'),
    ]);
    const diff = diffFund(before, after, T);
    expect(diff.changes.map((c) => [c.symbol, c.label])).toEqual([['ABC', 'drift']]);
    expect(diff.unchangedCount).toBe(1);
  });

  it('reports no changes on a first run instead of calling everything new', () => {
    const diff = diffFund(null, snap('ARKK', '2025-10-31', [holding('ABC', '1', '1')]), T);
    expect(diff.changes).toEqual([]);
    expect(diff.note).toContain('no baseline yet');
  });

  it('compares shares exactly, with no floating-point residue', () => {
    const diff = diffFund(
      snap('ARKK', '2025-10-30', [holding('ABC', '0.3', '1.1')]),
      snap('ARKK', '2025-10-31', [holding('ABC', '0.1', '1.3', '0.3')]),
      T,
    );
    expect(diff.changes[0]).toMatchObject({
      label: 'sell',
      sharesDelta: '-0.2',
      weightDelta: '0.2',
      estimatedTradeValue: '-0.6',
    });
  });
});

describe('cross-ETF summary and reports', () => {
  const funds = [
    diffFund(load('pair-old', 'ARKW'), load('pair-new', 'ARKW'), T),
    diffFund(load('pair-old', 'ARKX'), load('pair-new', 'ARKX'), T),
    diffFund(
      snap('ARKK', '2025-10-30', [holding('TSLA', '1000', '10', '440000')]),
      snap('ARKK', '2025-10-31', [holding('TSLA', '900', '9', '396000')]),
      T,
    ),
  ];
  const summary = summariseByTicker(funds);
  const report: ArkReport = {
    generatedAt: '2025-11-01T00:00:00.000Z',
    thresholds: T,
    funds,
    summary,
    failures: [],
  };

  it('groups the changes per ticker across funds with net shares and direction', () => {
    const tsla = summary.find((s) => s.symbol === 'TSLA')!;
    expect(tsla.direction).toBe('mixed');
    expect(tsla.netSharesDelta).toBe('9900');
    expect(tsla.funds).toEqual([
      { fund: 'ARKW', label: 'buy', sharesDelta: '10000' },
      { fund: 'ARKK', label: 'sell', sharesDelta: '-100' },
    ]);
    expect(summary.find((s) => s.symbol === 'SHOP')!.direction).toBe('selling');
    expect(summary.find((s) => s.symbol === 'SKYW')!.direction).toBe('buying');
    expect(summary[0]!.symbol).toBe('SHOP'); // largest estimated value first
  });

  it('renders markdown and JSON from the same report', () => {
    const md = renderMarkdown(report);
    expect(md).toContain(
      '| SELL | ROKU | ROKU INC | -50,000 (-4.05%) | 5.16% → 4.81% (-0.35 pp) | -$5,001,563 |',
    );
    expect(md).toContain('| EXIT | SHOP |');
    expect(md).toContain('## ARKX (2025-10-31 → 2025-10-31)');
    expect(md).toContain('| TSLA | TESLA INC | mixed | +9,900 |');
    expect(md).toContain('weight drift means'.replace('w', 'W'));
    expect(JSON.parse(renderJson(report))).toEqual(JSON.parse(JSON.stringify(report)));
  });
});
