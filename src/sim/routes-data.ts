/**
 * Market-data routes in the data API's shape (latest trade and latest quote, one symbol or many),
 * so previews and price collars have a price. Served on the same origin as trading.
 * Must preserve: prices are JSON numbers here (the data API's wire format), symbols unknown to
 * the simulator are left out of multi-symbol answers and are 404 for single-symbol ones.
 */
import type { FastifyInstance } from 'fastify';
import { str } from '../core/decimal.js';
import { simErrors } from './errors.js';
import type { Quote } from './market.js';
import { list, type Query } from './query.js';
import type { SimContext } from './sim-context.js';

let tradeSeq = 1;

function tradeWire(q: Quote): Record<string, unknown> {
  return {
    t: new Date(q.at).toISOString(),
    x: 'V',
    p: Number(str(q.last)),
    s: 100,
    c: ['@'],
    i: tradeSeq++,
    z: 'C',
  };
}

function quoteWire(q: Quote): Record<string, unknown> {
  return {
    t: new Date(q.at).toISOString(),
    ax: 'V',
    ap: Number(str(q.ask)),
    as: 1,
    bx: 'V',
    bp: Number(str(q.bid)),
    bs: 1,
    c: ['R'],
    z: 'C',
  };
}

export function registerDataRoutes(app: FastifyInstance, ctx: SimContext): void {
  const market = ctx.broker.market;
  const single = (symbol: string): Quote => {
    const quote = market.quote(symbol);
    if (!quote) throw simErrors.notFound(`no data for symbol ${symbol}`);
    return quote;
  };
  const many = (q: Query, map: (quote: Quote) => Record<string, unknown>): Record<string, unknown> => {
    const symbols = list(q, 'symbols');
    if (!symbols) throw simErrors.badRequest('missing symbols');
    const out: Record<string, unknown> = {};
    for (const symbol of symbols) {
      const quote = market.quote(symbol);
      if (quote) out[symbol] = map(quote);
    }
    return out;
  };
  const symbolOf = (params: unknown) => (params as Record<string, string>).symbol ?? '';
  app.get('/v2/stocks/:symbol/trades/latest', async (req) => {
    const symbol = symbolOf(req.params);
    return { symbol, trade: tradeWire(single(symbol)), currency: 'USD' };
  });
  app.get('/v2/stocks/:symbol/quotes/latest', async (req) => {
    const symbol = symbolOf(req.params);
    return { symbol, quote: quoteWire(single(symbol)), currency: 'USD' };
  });
  app.get('/v2/stocks/trades/latest', async (req) => ({
    trades: many(req.query as Query, tradeWire),
    currency: 'USD',
  }));
  app.get('/v2/stocks/quotes/latest', async (req) => ({
    quotes: many(req.query as Query, quoteWire),
    currency: 'USD',
  }));
}
