/**
 * Read-only views of the ledger for the profile this deployment serves: profile and environment
 * (as the engine reports it), positions, account, orders, fills and the P/L series. These keep
 * working while the bus is down: they read the database only.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { dec, str as decStr } from '../../core/decimal.js';
import { timestampMs } from '../../core/time.js';
import type { ApiContext } from '../context.js';
import { engineWire, tradingStateWire } from '../presenters.js';
import { routeSchema, type ZodJsonSchemaProvider } from '../route-schema.js';
import {
  accountSchema,
  bool,
  fillSchema,
  limitField,
  nstr,
  orderSchema,
  positionSchema,
  str,
  symbolField,
  timeField,
  withErrors,
} from '../schemas.js';
import { accountBody, fillsBody, ordersBody, positionsBody } from '../snapshots.js';
import { ref } from '../wire-schemas.js';

const tags = ['state'];
const limitOf = (value: string | undefined, fallback: number) =>
  value === undefined ? fallback : Number(value);

function registerProfile(app: FastifyInstance, ctx: ApiContext): void {
  const response = ref('Profile');
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
        const body = await positionsBody(ctx);
        if (revision === null) return body;
        cache = { revision, json: JSON.stringify(body) };
      }
      return reply.type('application/json; charset=utf-8').send(cache.json);
    },
  );
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
    async () => accountBody(ctx),
  );
}

const ordersQuery = z.strictObject({
  status: z.enum(['open', 'closed', 'all']).optional(),
  symbol: symbolField.optional(),
  limit: limitField.optional(),
});

function registerOrders(app: FastifyInstance, ctx: ApiContext): void {
  const querystring = routeSchema(ordersQuery);
  const response = {
    type: 'object',
    properties: { profile_id: str, orders: { type: 'array', items: orderSchema } },
  };
  app.withTypeProvider<ZodJsonSchemaProvider>().get(
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
      return ordersBody(ctx, {
        status: q.status ?? 'all',
        ...(q.symbol === undefined ? {} : { symbol: q.symbol.toUpperCase() }),
        limit: limitOf(q.limit, 100),
      });
    },
  );
}

const fillsQuery = z.strictObject({
  symbol: symbolField.optional(),
  order_id: z.string().min(1).max(128).optional(),
  since: timeField.optional(),
  limit: limitField.optional(),
});

function registerFills(app: FastifyInstance, ctx: ApiContext): void {
  const querystring = routeSchema(fillsQuery);
  const response = {
    type: 'object',
    properties: { profile_id: str, fills: { type: 'array', items: fillSchema } },
  };
  app.withTypeProvider<ZodJsonSchemaProvider>().get(
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
      return fillsBody(ctx, {
        ...(q.symbol === undefined ? {} : { symbol: q.symbol.toUpperCase() }),
        ...(q.order_id === undefined ? {} : { orderId: q.order_id }),
        ...(q.since === undefined ? {} : { since: new Date(q.since).toISOString() }),
        limit: limitOf(q.limit, 100),
      });
    },
  );
}

const pnlQuery = z.strictObject({
  since: timeField.optional(),
  until: timeField.optional(),
  limit: limitField.optional(),
});

function registerPnl(app: FastifyInstance, ctx: ApiContext): void {
  const querystring = routeSchema(pnlQuery);
  const response = {
    type: 'object',
    properties: {
      profile_id: str,
      base_equity: nstr,
      points: { type: 'array', items: ref('PnlPoint') },
      truncated: bool,
    },
  };
  app.withTypeProvider<ZodJsonSchemaProvider>().get(
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
