/**
 * The simulator's HTTP app: a Fastify factory (tests can `inject()` without a port) with the
 * cross-cutting behaviour of Alpaca's REST surface: key headers, per-key rate limit with
 * `X-Ratelimit-*` headers on every response, `X-Request-ID`, injected faults, request stats, and
 * one error handler that turns everything into Alpaca's `{code, message}` body.
 * Must preserve: no request ends in an unhandled 5xx or a hang; /_sim/ routes need the same keys
 * but are neither rate limited nor subject to faults.
 */
import { randomBytes } from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { codeForStatus, SimError, simErrors } from './errors.js';
import { restDelayed } from './faults.js';
import { registerAccountRoutes } from './routes-account.js';
import { registerControlRoutes } from './routes-control.js';
import { registerDataRoutes } from './routes-data.js';
import { registerMarketRoutes } from './routes-market.js';
import { registerOrderRoutes } from './routes-orders.js';
import type { SimContext } from './sim-context.js';

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendError(reply: FastifyReply, error: SimError): FastifyReply {
  return reply.code(error.status).type('application/json').send(error.body());
}

async function guard(
  ctx: SimContext,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  reply.header('X-Request-ID', randomBytes(16).toString('hex'));
  const path = req.url.split('?')[0] ?? '';
  const control = path.startsWith('/_sim/');
  const key = header(req, 'apca-api-key-id');
  const secret = header(req, 'apca-api-secret-key');
  const route = `${req.method} ${req.routeOptions.url ?? 'unmatched'}`;
  if (!control) ctx.requests.set(route, (ctx.requests.get(route) ?? 0) + 1);
  const authed = key === ctx.keyId && secret === ctx.secret;
  const rate = ctx.limiter.take(authed && !control ? ctx.keyId : '', Date.now());
  reply.header('X-Ratelimit-Limit', String(ctx.limiter.limit));
  reply.header('X-Ratelimit-Remaining', String(rate.remaining));
  reply.header('X-Ratelimit-Reset', String(rate.reset));
  if (!authed) return sendError(reply, simErrors.unauthorized());
  if (control) return undefined;
  if (!rate.allowed) {
    reply.header('Retry-After', String(Math.max(1, rate.reset - Math.floor(Date.now() / 1000))));
    return sendError(reply, simErrors.rateLimited());
  }
  const f = ctx.faults;
  if (restDelayed(f, route)) await new Promise((resolve) => setTimeout(resolve, f.rest_delay_ms));
  if (f.rest_error_rate > 0 && ctx.faultRng() < f.rest_error_rate) {
    return sendError(reply, simErrors.internal(f.rest_error_status));
  }
  return undefined;
}

function toSimError(error: unknown): SimError {
  if (error instanceof SimError) return error;
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (
    e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    e instanceof SyntaxError
  ) {
    return simErrors.malformedBody();
  }
  const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
  if (status === 500) return simErrors.internal(500);
  return new SimError(status, codeForStatus(status), e.message ?? 'request failed');
}

export function buildSimApp(ctx: SimContext, logger?: FastifyBaseLogger): FastifyInstance {
  const base = { bodyLimit: 1024 * 1024, return503OnClosing: false };
  const app = (logger
    ? Fastify({ ...base, loggerInstance: logger })
    : Fastify(base)) as unknown as FastifyInstance;
  // One lenient JSON parser for every content type: an empty body is "no body" (control routes are
  // often posted without one); anything unparseable is Alpaca's 400.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(simErrors.malformedBody(), undefined);
    }
  });
  app.addHook('onRequest', async (req, reply) => {
    const done = await guard(ctx, req, reply);
    if (done) return done;
  });
  app.setErrorHandler((error, req, reply) => {
    const sim = toSimError(error);
    if (sim.status >= 500 && !(error instanceof SimError))
      req.log.error({ err: error }, 'simulator route failed');
    return sendError(reply, sim);
  });
  app.setNotFoundHandler((req, reply) => {
    if (!reply.hasHeader('X-Request-ID')) reply.header('X-Request-ID', randomBytes(16).toString('hex'));
    return sendError(reply, simErrors.notFound(`endpoint not found: ${req.method} ${req.url.split('?')[0]}`));
  });
  registerAccountRoutes(app, ctx);
  registerOrderRoutes(app, ctx);
  registerMarketRoutes(app, ctx);
  registerDataRoutes(app, ctx);
  registerControlRoutes(app, ctx);
  return app;
}
