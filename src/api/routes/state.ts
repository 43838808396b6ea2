/**
 * Read-only views of the ledger for the profile this deployment serves: profile and environment
 * (as the engine reports it), positions, account, orders, fills and the P/L series. These keep
 * working while the bus is down: they read the database only.
 */
import type { FastifyInstance } from 'fastify';
import { dec, str as decStr } from '../../core/decimal.js';
import { compareTimestamps, timestampMs } from '../../core/time.js';
import type { ApiContext } from '../context.js';
import {
  accountWire,
  engineWire,
  fillWire,
  orderWire,
  positionWire,
  tradingStateWire,
} from '../presenters.js';
import {
  accountSchema,
  bool,
  engineSchema,
  fillSchema,
  limitQuery,
  nstr,
  orderSchema,
  positionSchema,
  str,
  symbolQuery,
  timeQuery,
  tradingStateSchema,
  withErrors,
} from '../schemas.js';

const tags = ['state'];
const limitOf = (value: string | undefined, fallback: number) =>
  value === undefined ? fallback : Number(value);

function registerProfile(app: FastifyInstance, ctx: ApiContext): void {
  const response = {
    type: 'object',
    properties: {
      profile_id: str,
      environment: {
        ...nstr,
        description: 'the environment the engine reports (null before its first heartbeat)',
      },
      api_environment: str,
      environment_match: { type: ['boolean', 'null'] },
      engine: engineSchema,
      trading_state: tradingStateSchema,
    },
  };
  app.get(
    '/state/profile',
    {
      schema: {
        tags,
        summary: 'Profile, environments and trading state',
        response: withErrors({ 200: response }),
      },
    },
    async () => {
      const [heartbeat, state, now] = await Promise.all([
        ctx.store.heartbeats.read(ctx.profileId),
        ctx.store.tradingState.get(ctx.profileId),
        ctx.store.now(),
      ]);
      return {
        profile_id: ctx.profileId,
        environment: heartbeat?.environment ?? null,
        api_environment: ctx.config.environment,
        environment_match: heartbeat === null ? null : heartbeat.environment === ctx.config.environment,
        engine: engineWire(heartbeat, timestampMs(now)),
        trading_state: tradingStateWire(state),
      };
    },
  );
}

function registerPositions(app: FastifyInstance, ctx: ApiContext): void {
  let cache: { revision: string; json: string } | null = null;
  const response = {
    type: 'object',
    properties: {
      profile_id: str,
      as_of: nstr,
      provenance: { type: 'string', enum: ['confirmed', 'provisional', 'empty'] },
      positions: { type: 'array', items: positionSchema },
    },
  };
  app.get(
    '/state/positions',
    {
      schema: {
        tags,
        summary: 'Position snapshot with as-of time and provenance',
        response: withErrors({ 200: response }),
      },
    },
    async (_request, reply) => {
      // The snapshot is rebuilt (and serialized) only when the positions changed: their revision
      // moves in the same transaction as every position write.
      const revision = await ctx.store.positions.revision(ctx.profileId);
      if (revision === null || cache?.revision !== revision) {
        const body = await positionsSnapshot(ctx);
        if (revision === null) return body;
        cache = { revision, json: JSON.stringify(body) };
      }
      return reply.type('application/json; charset=utf-8').send(cache.json);
    },
  );
}

async function positionsSnapshot(ctx: ApiContext): Promise<Record<string, unknown>> {
  const positions = await ctx.store.positions.list(ctx.profileId);
  const asOf = positions.reduce<string | null>(
    (latest, p) => (latest === null || compareTimestamps(p.asOf, latest) > 0 ? p.asOf : latest),
    null,
  );
  const provenance =
    positions.length === 0
      ? 'empty'
      : positions.every((p) => p.provenance === 'rest')
        ? 'confirmed'
        : 'provisional';
  return { profile_id: ctx.profileId, as_of: asOf, provenance, positions: positions.map(positionWire) };
}

function registerAccount(app: FastifyInstance, ctx: ApiContext): void {
  const response = { type: 'object', properties: { profile_id: str, account: accountSchema } };
  app.get(
    '/state/account',
    {
      schema: {
        tags,
        summary: 'Equity, cash, buying power and day P/L',
        response: withErrors({ 200: response }),
      },
    },
    async () => {
      const account = await ctx.store.accounts.latest(ctx.profileId);
      return { profile_id: ctx.profileId, account: account === null ? null : accountWire(account) };
    },
  );
}

interface OrdersQuery {
  status?: 'open' | 'closed' | 'all';
  symbol?: string;
  limit?: string;
}

function registerOrders(app: FastifyInstance, ctx: ApiContext): void {
  const querystring = {
    type: 'object',
    additionalProperties: false,
    properties: {
      status: { type: 'string', enum: ['open', 'closed', 'all'] },
      symbol: symbolQuery,
      limit: limitQuery,
    },
  };
  const response = {
    type: 'object',
    properties: { profile_id: str, orders: { type: 'array', items: orderSchema } },
  };
  app.get<{ Querystring: OrdersQuery }>(
    '/state/orders',
    {
      schema: {
        tags,
        summary: 'Open and recent orders, newest first',
        querystring,
        response: withErrors({ 200: response }),
      },
    },
    async (request) => {
      const q = request.query;
      const orders = await ctx.store.orders.list(ctx.profileId, {
        status: q.status ?? 'all',
        ...(q.symbol === undefined ? {} : { symbol: q.symbol.toUpperCase() }),
        limit: limitOf(q.limit, 100),
      });
      return { profile_id: ctx.profileId, orders: orders.map(orderWire) };
    },
  );
}

interface FillsQuery {
  symbol?: string;
  order_id?: string;
  since?: string;
  limit?: string;
}

function registerFills(app: FastifyInstance, ctx: ApiContext): void {
  const querystring = {
    type: 'object',
    additionalProperties: false,
    properties: {
      symbol: symbolQuery,
      order_id: { type: 'string', minLength: 1, maxLength: 128 },
      since: timeQuery,
      limit: limitQuery,
    },
  };
  const response = {
    type: 'object',
    properties: { profile_id: str, fills: { type: 'array', items: fillSchema } },
  };
  app.get<{ Querystring: FillsQuery }>(
    '/state/fills',
    {
      schema: {
        tags,
        summary: 'Fills (executions), newest first',
        querystring,
        response: withErrors({ 200: response }),
      },
    },
    async (request) => {
      const q = request.query;
      const fills = await ctx.store.fills.list(ctx.profileId, {
        ...(q.symbol === undefined ? {} : { symbol: q.symbol.toUpperCase() }),
        ...(q.order_id === undefined ? {} : { orderId: q.order_id }),
        ...(q.since === undefined ? {} : { since: new Date(q.since).toISOString() }),
        limit: limitOf(q.limit, 100),
      });
      return { profile_id: ctx.profileId, fills: fills.map(fillWire) };
    },
  );
}

interface PnlQuery {
  since?: string;
  until?: string;
  limit?: string;
}

function registerPnl(app: FastifyInstance, ctx: ApiContext): void {
  const querystring = {
    type: 'object',
    additionalProperties: false,
    properties: { since: timeQuery, until: timeQuery, limit: limitQuery },
  };
  const point = {
    type: 'object',
    properties: {
      ...Object.fromEntries(['at', 'equity', 'cash', 'pl', 'day_pl', 'source'].map((k) => [k, str])),
      pl_pct: nstr,
    },
  };
  const response = {
    type: 'object',
    properties: {
      profile_id: str,
      base_equity: nstr,
      points: { type: 'array', items: point },
      truncated: bool,
    },
  };
  app.get<{ Querystring: PnlQuery }>(
    '/state/pnl',
    {
      schema: {
        tags,
        summary: 'Equity and P/L series from account snapshots',
        querystring,
        response: withErrors({ 200: response }),
      },
    },
    async (request) => {
      const q = request.query;
      const limit = limitOf(q.limit, 500);
      const series = await ctx.store.accounts.series(ctx.profileId, {
        ...(q.since === undefined ? {} : { since: new Date(q.since).toISOString() }),
        ...(q.until === undefined ? {} : { until: new Date(q.until).toISOString() }),
        limit,
      });
      const base = series[0] === undefined ? null : dec(series[0].equity);
      const points = series.map((s) => {
        const pl = base === null ? dec(0) : dec(s.equity).minus(base);
        return {
          at: s.at,
          equity: s.equity,
          cash: s.cash,
          pl: decStr(pl),
          pl_pct: base === null || base.isZero() ? null : decStr(pl.div(base).times(100).toDecimalPlaces(6)),
          day_pl: decStr(dec(s.equity).minus(dec(s.lastEquity))),
          source: s.source,
        };
      });
      return {
        profile_id: ctx.profileId,
        base_equity: base === null ? null : decStr(base),
        points,
        truncated: series.length === limit,
      };
    },
  );
}

export function registerStateRoutes(app: FastifyInstance, ctx: ApiContext): void {
  registerProfile(app, ctx);
  registerPositions(app, ctx);
  registerAccount(app, ctx);
  registerOrders(app, ctx);
  registerFills(app, ctx);
  registerPnl(app, ctx);
}
