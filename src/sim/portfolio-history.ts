/**
 * GET /v2/account/portfolio/history: equity sampled at the requested timeframe from the equity
 * points the broker records (after fills, price changes and ticks).
 * Must preserve: arrays of numbers (the wire format demands numbers here), epoch-second
 * timestamps, base_value = last_equity with its date in base_value_asof; parameter errors are 422.
 */
import { type Decimal, str } from '../core/decimal.js';
import type { SimBroker } from './broker.js';
import type { EquityPoint } from './broker-state.js';
import { simErrors } from './errors.js';
import { first, instant, oneOf, type Query } from './query.js';
import { phaseAt } from './session-calendar.js';

const TIMEFRAMES = { '1Min': 60, '5Min': 300, '15Min': 900, '1H': 3600, '1D': 86400 } as const;
type Timeframe = keyof typeof TIMEFRAMES;
const UNIT_DAYS = { D: 1, W: 7, M: 30, A: 365 } as const;
const MAX_POINTS = 10_000;

function periodDays(q: Query): number | null {
  const period = first(q, 'period');
  if (period === undefined) return null;
  const m = /^(\d+)([DWMA])$/.exec(period);
  if (!m) throw simErrors.invalid(`invalid period: ${period}`);
  return Number(m[1]) * UNIT_DAYS[m[2] as keyof typeof UNIT_DAYS];
}

function defaultTimeframe(days: number): Timeframe {
  if (days < 7) return '1Min';
  if (days < 30) return '15Min';
  return '1D';
}

function equityAt(points: EquityPoint[], t: number): Decimal | null {
  let lo = 0;
  let hi = points.length - 1;
  let found: EquityPoint | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = points[mid] as EquityPoint;
    if (p.t <= t) {
      found = p;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found?.equity ?? null;
}

function inWindow(ms: number, reporting: string, step: number): boolean {
  if (reporting === 'continuous' || step >= 86400) return true;
  const phase = phaseAt(ms);
  return reporting === 'extended_hours' ? phase !== 'closed' && phase !== 'overnight' : phase === 'core';
}

export function portfolioHistory(broker: SimBroker, q: Query): Record<string, unknown> {
  const s = broker.state;
  const days = periodDays(q);
  const timeframe = oneOf(
    q,
    'timeframe',
    Object.keys(TIMEFRAMES) as Timeframe[],
    defaultTimeframe(days ?? 30),
  );
  const reporting = oneOf(
    q,
    'intraday_reporting',
    ['market_hours', 'extended_hours', 'continuous'] as const,
    'market_hours',
  );
  oneOf(q, 'pnl_reset', ['per_day', 'no_reset'] as const, 'per_day');
  const start = instant(q, 'start');
  const end = instant(q, 'end') ?? instant(q, 'date_end', '20:00') ?? s.clock.now();
  if (days !== null && start !== null && instant(q, 'end') !== null) {
    throw simErrors.invalid('only two of start, end and period may be given');
  }
  if (days !== null && days > 30 && timeframe !== '1D')
    throw simErrors.invalid('periods over 30 days require timeframe 1D');
  const from = start ?? end - (days ?? 30) * 86400_000;
  if (from > end) throw simErrors.invalid('start must be before end');
  const step = TIMEFRAMES[timeframe];
  const base = s.meta.lastEquity;
  const timestamps: number[] = [];
  const equity: number[] = [];
  const pl: number[] = [];
  const plPct: number[] = [];
  const firstEquity = s.history[0]?.equity ?? base;
  for (
    let t = Math.floor(from / 1000 / step) * step;
    t <= end / 1000 && timestamps.length < MAX_POINTS;
    t += step
  ) {
    if (!inWindow(t * 1000, reporting, step)) continue;
    const e = equityAt(s.history, t + step - 1) ?? firstEquity;
    timestamps.push(t);
    equity.push(Number(str(e.toDecimalPlaces(2))));
    pl.push(Number(str(e.minus(base).toDecimalPlaces(2))));
    plPct.push(base.isZero() ? 0 : Number(str(e.minus(base).div(base).toDecimalPlaces(6))));
  }
  return {
    timestamp: timestamps,
    equity,
    profit_loss: pl,
    profit_loss_pct: plPct,
    base_value: Number(str(base.toDecimalPlaces(2))),
    base_value_asof: s.meta.balanceAsof,
    timeframe,
    cashflow: {},
  };
}
