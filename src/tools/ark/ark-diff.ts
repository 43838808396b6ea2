/**
 * Compares a fund's new snapshot with its baseline, holding by holding, with honest labels:
 * new, exit, buy, sell (shares moved by at least the share threshold), drift (the weight moved
 * but the shares did not — a price effect, never reported as a trade) and unchanged. All
 * arithmetic is decimal.
 */
import { type Decimal, dec, str, ZERO } from '../../core/decimal.js';
import type { ChangeLabel, FundDiff, Holding, HoldingChange, Snapshot, Thresholds } from './ark-types.js';

/** Identity of a holding within a fund: CUSIP and ticker together (some rows lack one of them). */
export function holdingKey(h: Holding): string {
  return `${h.cusip.toUpperCase()}|${h.ticker.toUpperCase()}|${h.cusip || h.ticker ? '' : h.company.toUpperCase()}`;
}

export function displaySymbol(h: Holding): string {
  return h.ticker || h.cusip || h.company;
}

function price(h: Holding): Decimal {
  const shares = dec(h.shares, 'shares');
  return shares.isZero() ? ZERO : dec(h.marketValue, 'market value').dividedBy(shares);
}

function classify(before: Holding | undefined, after: Holding | undefined, t: Thresholds): ChangeLabel {
  if (!before || dec(before.shares).isZero()) return 'new';
  if (!after || dec(after.shares).isZero()) return 'exit';
  const delta = dec(after.shares).minus(before.shares);
  const pct = delta.abs().dividedBy(before.shares).times(100);
  if (!delta.isZero() && pct.greaterThanOrEqualTo(t.sharePct)) return delta.isPositive() ? 'buy' : 'sell';
  const weightMove = dec(after.weightPct).minus(before.weightPct).abs();
  return !weightMove.isZero() && weightMove.greaterThanOrEqualTo(t.weightPoints) ? 'drift' : 'unchanged';
}

function tradeValue(label: ChangeLabel, delta: Decimal, before?: Holding, after?: Holding): Decimal {
  if (label === 'drift' || label === 'unchanged') return ZERO;
  const reference = label === 'exit' ? before : after;
  return reference ? delta.times(price(reference)) : ZERO;
}

function change(
  fund: string,
  before: Holding | undefined,
  after: Holding | undefined,
  t: Thresholds,
): HoldingChange {
  const ref = (after ?? before)!;
  const sharesBefore = dec(before?.shares ?? '0');
  const sharesAfter = dec(after?.shares ?? '0');
  const delta = sharesAfter.minus(sharesBefore);
  const label = classify(before, after, t);
  const weightBefore = dec(before?.weightPct ?? '0');
  const weightAfter = dec(after?.weightPct ?? '0');
  return {
    fund,
    symbol: displaySymbol(ref),
    company: ref.company,
    cusip: ref.cusip,
    label,
    sharesBefore: str(sharesBefore),
    sharesAfter: str(sharesAfter),
    sharesDelta: str(delta),
    sharesDeltaPct: sharesBefore.isZero()
      ? null
      : str(delta.dividedBy(sharesBefore).times(100).toDecimalPlaces(2)),
    weightBefore: str(weightBefore),
    weightAfter: str(weightAfter),
    weightDelta: str(weightAfter.minus(weightBefore)),
    estimatedTradeValue: str(tradeValue(label, delta, before, after).toDecimalPlaces(2)),
  };
}

const ORDER: Record<ChangeLabel, number> = { new: 0, buy: 1, sell: 2, exit: 3, drift: 4, unchanged: 5 };

/** Diffs `current` against `baseline` (null on a first run: nothing to compare, no fake "new"s). */
export function diffFund(baseline: Snapshot | null, current: Snapshot, t: Thresholds): FundDiff {
  if (baseline === null) {
    return {
      fund: current.fund,
      baselineDate: null,
      date: current.date,
      note: 'no baseline yet: this snapshot becomes the baseline',
      changes: [],
      unchangedCount: 0,
    };
  }
  const before = new Map(baseline.holdings.map((h) => [holdingKey(h), h]));
  const after = new Map(current.holdings.map((h) => [holdingKey(h), h]));
  const changes: HoldingChange[] = [];
  let unchangedCount = 0;
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const c = change(current.fund, before.get(key), after.get(key), t);
    if (c.label === 'unchanged') unchangedCount += 1;
    else changes.push(c);
  }
  changes.sort(
    (a, b) =>
      ORDER[a.label] - ORDER[b.label] ||
      dec(b.estimatedTradeValue).abs().comparedTo(dec(a.estimatedTradeValue).abs()) ||
      a.symbol.localeCompare(b.symbol),
  );
  const note =
    baseline.date > current.date
      ? `the baseline (${baseline.date}) is newer than this snapshot`
      : baseline.date === current.date
        ? 'the baseline has the same date as this snapshot'
        : null;
  return {
    fund: current.fund,
    baselineDate: baseline.date,
    date: current.date,
    note,
    changes,
    unchangedCount,
  };
}
