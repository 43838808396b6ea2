/**
 * REST routes for the market around the account: /v2/clock, /v3/clock, /v2/calendar and
 * /v2/assets.
 * Must preserve: clock timestamps carry the ET offset; calendar days carry session_open,
 * session_close and settlement_date (the SDK needs them); date params accept YYYY-MM-DD and ISO.
 */
import type { FastifyInstance } from 'fastify';
import { assetToWire } from './assets.js';
import { simErrors } from './errors.js';
import { first, list, oneOf, parseInstant, type Query } from './query.js';
import {
  addDays,
  etParts,
  formatEt,
  nextOpenClose,
  phaseUntil,
  seekTradingDay,
  type TradingDay,
  tradingDays,
} from './session-calendar.js';
import type { SimContext } from './sim-context.js';

const etDate = (ms: number) => etParts(ms).date;

function calendarDate(q: Query, name: string, fallback: string): string {
  const v = first(q, name);
  if (v === undefined) return fallback;
  parseInstant(v, name);
  // The SDK sends Date.toISOString() (UTC midnight of the intended day): take the date as written.
  return v.slice(0, 10);
}

function calendarEntry(day: TradingDay): Record<string, unknown> {
  const early = day.close !== '16:00';
  return {
    date: day.date,
    open: day.open,
    close: day.close,
    session_open: '0400',
    session_close: early ? '1700' : '2000',
    settlement_date: seekTradingDay(addDays(day.date, 1), 1).date,
  };
}

const MARKETS: Record<string, { name: string; mic: string }> = {
  NYSE: { name: 'New York Stock Exchange', mic: 'XNYS' },
  NASDAQ: { name: 'Nasdaq Stock Market', mic: 'XNAS' },
};

/** One market of GET /v3/clock (US equity venues share the session calendar). */
function v3Clock(acronym: string, now: number, phase: string): Record<string, unknown> {
  const { nextOpen, nextClose } = nextOpenClose(now);
  const market = MARKETS[acronym] as { name: string; mic: string };
  return {
    market: { acronym, name: market.name, timezone: 'America/New_York', mic: market.mic },
    timestamp: formatEt(now),
    is_market_day: tradingDays(etDate(now), etDate(now)).length > 0,
    next_market_open: formatEt(nextOpen),
    next_market_close: formatEt(nextClose),
    phase,
    phase_until: formatEt(phase === 'core' ? nextClose : phaseUntil(now)),
  };
}

export function registerMarketRoutes(app: FastifyInstance, ctx: SimContext): void {
  const broker = ctx.broker;
  const clock = broker.state.clock;
  app.get('/v2/clock', async () => {
    const now = clock.now();
    const { nextOpen, nextClose } = nextOpenClose(now);
    return {
      timestamp: formatEt(now),
      is_open: clock.phase(now) === 'core',
      next_open: formatEt(nextOpen),
      next_close: formatEt(nextClose),
    };
  });
  app.get('/v3/clock', async (req) => {
    const q = req.query as Query;
    const at = first(q, 'time');
    const now = at === undefined ? clock.now() : parseInstant(at, 'time');
    const markets = list(q, 'markets') ?? ['NYSE'];
    for (const m of markets) if (!MARKETS[m]) throw simErrors.invalid(`unknown market ${m}`);
    return { clocks: markets.map((m) => v3Clock(m, now, clock.phase(now))) };
  });
  app.get('/v2/calendar', async (req) => {
    const q = req.query as Query;
    oneOf(q, 'date_type', ['TRADING', 'SETTLEMENT'] as const, 'TRADING');
    const start = calendarDate(q, 'start', '1970-01-01');
    const end = calendarDate(q, 'end', '2029-12-31');
    if (start > end) return [];
    return tradingDays(start, end).map(calendarEntry);
  });
  app.get('/v2/assets', async (req) => {
    const q = req.query as Query;
    const status = first(q, 'status');
    const assetClass = first(q, 'asset_class') ?? 'us_equity';
    const exchange = first(q, 'exchange');
    const attributes = list(q, 'attributes');
    if (assetClass !== 'us_equity') return [];
    return broker.assets
      .all()
      .filter(
        (a) =>
          (status === undefined || a.status === status) &&
          (exchange === undefined || a.exchange === exchange),
      )
      .map(assetToWire)
      .filter((a) => !attributes || attributes.some((x) => (a.attributes as string[]).includes(x)));
  });
  app.get('/v2/assets/:symbol', async (req) => {
    const symbol = (req.params as Record<string, string>).symbol ?? '';
    const asset = broker.assets.get(symbol);
    if (!asset) throw simErrors.notFound('asset not found');
    return assetToWire(asset);
  });
}
