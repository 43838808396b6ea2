/**
 * The /_sim/ control surface for tests and demos (never part of Alpaca's API, same key headers):
 * prices, stream drop, faults, reset, stats, plus clock, end-of-day, ticks and account flags.
 * Must preserve: setting prices runs matching before the response; an empty faults object clears
 * all faults; bad bodies get the same `{code, message}` errors as the Alpaca surface.
 */
import type { FastifyInstance } from 'fastify';
import { type Decimal, dec, str } from '../core/decimal.js';
import { simErrors } from './errors.js';
import { parseFaults } from './faults.js';
import type { PriceInput } from './market.js';
import { asBody, positiveDecimal } from './order-request.js';
import type { PositionSeed } from './portfolio.js';
import { parseInstant } from './query.js';
import { formatEt } from './session-calendar.js';
import { endOfDay } from './session-jobs.js';
import type { SimContext } from './sim-context.js';

function priceInput(symbol: string, raw: unknown): PriceInput {
  if (typeof raw === 'string' || typeof raw === 'number') {
    const value = positiveDecimal({ [symbol]: raw }, symbol);
    if (value) return value;
  } else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const body = raw as Record<string, unknown>;
    const parts = {
      last: positiveDecimal(body, 'last'),
      bid: positiveDecimal(body, 'bid'),
      ask: positiveDecimal(body, 'ask'),
    };
    if (parts.bid && parts.ask && parts.bid.gt(parts.ask))
      throw simErrors.invalid(`${symbol}: bid above ask`);
    return Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== null)) as { last?: Decimal };
  }
  throw simErrors.invalid(`invalid price for ${symbol}`);
}

export function parsePrices(raw: unknown, known: (symbol: string) => boolean): Map<string, PriceInput> {
  const body = asBody(raw);
  const prices = new Map<string, PriceInput>();
  for (const [symbol, value] of Object.entries(body)) {
    if (!known(symbol)) throw simErrors.invalid(`unknown symbol ${symbol}`);
    prices.set(symbol, priceInput(symbol, value));
  }
  return prices;
}

function parseReset(raw: unknown): { cash: Decimal; positions: PositionSeed[] } {
  const body = raw === undefined ? {} : asBody(raw);
  const cash = body.cash === undefined ? dec('100000') : dec(body.cash, 'cash');
  if (!Array.isArray(body.positions ?? [])) throw simErrors.invalid('positions must be a list');
  const positions = ((body.positions as unknown[] | undefined) ?? []).map((p) => {
    const item = asBody(p);
    if (typeof item.symbol !== 'string') throw simErrors.invalid('position symbol is required');
    const qty = dec(item.qty, 'qty');
    const avgEntry = positiveDecimal(item, 'avg_entry_price');
    if (!avgEntry) throw simErrors.invalid('avg_entry_price is required');
    return { symbol: item.symbol, qty, avgEntry };
  });
  return { cash, positions };
}

export function registerControlRoutes(app: FastifyInstance, ctx: SimContext): void {
  const broker = ctx.broker;
  app.post('/_sim/prices', async (req) => {
    const prices = parsePrices(req.body, (s) => broker.assets.get(s) !== undefined);
    broker.setPrices(prices);
    const out: Record<string, unknown> = {};
    for (const symbol of prices.keys()) {
      const q = broker.market.quote(symbol);
      if (q) out[symbol] = { last: str(q.last), bid: str(q.bid), ask: str(q.ask) };
    }
    return out;
  });
  app.post('/_sim/stream/drop', async () => ({ dropped: ctx.stream.dropAll() }));
  app.post('/_sim/faults', async (req) => {
    ctx.faults = parseFaults(req.body ?? {});
    ctx.refuseStreamUntil = ctx.faults.refuse_stream_ms > 0 ? Date.now() + ctx.faults.refuse_stream_ms : 0;
    if (ctx.faults.error_then_close) ctx.stream.errorThenClose('internal server error');
    return ctx.faults;
  });
  app.post('/_sim/reset', async (req) => {
    const { cash, positions } = parseReset(req.body);
    for (const p of positions)
      if (!broker.assets.get(p.symbol)) throw simErrors.invalid(`unknown symbol ${p.symbol}`);
    broker.reset(cash, positions);
    ctx.limiter.clear();
    return { cash: str(cash), positions: positions.length };
  });
  app.get('/_sim/stats', async () => ({
    requests: Object.fromEntries([...ctx.requests.entries()].sort()),
    orders_submitted: broker.state.counters.ordersSubmitted,
    executions: broker.state.counters.executions,
    open_orders: broker.state.book.open().length,
    stream: { ...ctx.stream.stats },
  }));
  app.get('/_sim/clock', async () => clockView(ctx));
  app.post('/_sim/clock', async (req) => {
    const body = asBody(req.body ?? {});
    const clock = broker.state.clock;
    if (typeof body.time === 'string') clock.set(parseInstant(body.time, 'time'), body.frozen !== false);
    else if (body.time !== undefined) throw simErrors.invalid('time must be an RFC 3339 string');
    if (body.advance_ms !== undefined) {
      if (typeof body.advance_ms !== 'number' || body.advance_ms < 0)
        throw simErrors.invalid('advance_ms must be >= 0');
      clock.advance(body.advance_ms);
    }
    broker.sync(true);
    return clockView(ctx);
  });
  app.post('/_sim/eod', async () => endOfDay(broker.state));
  app.post('/_sim/tick', async (req) => {
    const body = asBody(req.body ?? {});
    const steps = body.steps ?? 1;
    if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1 || steps > 10_000) {
      throw simErrors.invalid('steps must be an integer between 1 and 10000');
    }
    for (let i = 0; i < steps; i++) broker.tick();
    return Object.fromEntries(
      broker.market.symbols().map((s) => [s, str(broker.market.quote(s)?.last ?? dec(0))]),
    );
  });
  app.post('/_sim/account', async (req) => {
    const body = asBody(req.body ?? {});
    const meta = broker.state.meta;
    for (const key of ['trading_blocked', 'account_blocked', 'shorting_enabled'] as const) {
      const v = body[key];
      if (v === undefined) continue;
      if (typeof v !== 'boolean') throw simErrors.invalid(`${key} must be a boolean`);
      if (key === 'trading_blocked') meta.tradingBlocked = v;
      if (key === 'account_blocked') meta.accountBlocked = v;
      if (key === 'shorting_enabled') meta.shortingEnabled = v;
    }
    return {
      trading_blocked: meta.tradingBlocked,
      account_blocked: meta.accountBlocked,
      shorting_enabled: meta.shortingEnabled,
    };
  });
}

function clockView(ctx: SimContext): Record<string, unknown> {
  const clock = ctx.broker.state.clock;
  const now = clock.now();
  return { timestamp: formatEt(now), mode: clock.mode, frozen: clock.frozen, phase: clock.phase(now) };
}
