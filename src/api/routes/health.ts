/**
 * GET /health: liveness plus the components a command needs: the database, the bus, and the
 * engine (heartbeat age and trade-stream state). 200 when all are fine, 503 with reasons when
 * not. Open without a token, so load balancers and supervisors can probe it.
 */
import type { FastifyInstance } from 'fastify';
import { timestampMs } from '../../core/time.js';
import type { ApiContext } from '../context.js';
import { bool, nstr, str } from '../schemas.js';

/** Trade-stream states the engine reports when it is working as intended. */
export const HEALTHY_STREAM_STATES = new Set([
  'connected',
  'authenticated',
  'listening',
  'polling',
  'disabled',
]);

const check = { type: 'object', properties: { ok: bool, detail: nstr } } as const;

const healthSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    reasons: { type: 'array', items: str },
    checks: {
      type: 'object',
      properties: {
        database: check,
        bus: { type: 'object', properties: { ok: bool, kind: str } },
        engine: {
          type: 'object',
          properties: {
            ok: bool,
            heartbeat_at: nstr,
            heartbeat_age_ms: { type: ['integer', 'null'] },
            stream_state: nstr,
            environment: nstr,
          },
        },
      },
    },
  },
} as const;

async function databaseCheck(ctx: ApiContext): Promise<{ ok: boolean; detail: string | null }> {
  try {
    await ctx.store.tradingState.get(ctx.profileId);
    return { ok: true, detail: null };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

export function registerHealthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Component health: database, bus, engine heartbeat and stream',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const [database, busOk] = await Promise.all([databaseCheck(ctx), ctx.bus.healthy().catch(() => false)]);
      const heartbeat = database.ok ? await ctx.store.heartbeats.read(ctx.profileId).catch(() => null) : null;
      const age =
        heartbeat === null ? null : Math.max(0, ctx.clock.now().getTime() - timestampMs(heartbeat.at));
      const reasons: string[] = [];
      if (!database.ok) reasons.push(`database unreachable: ${database.detail}`);
      if (!busOk) reasons.push(`command bus (${ctx.config.bus.kind}) unavailable`);
      if (heartbeat === null) reasons.push('no engine heartbeat: the engine has not run for this profile');
      else if (age !== null && age > ctx.options.engineStaleMs)
        reasons.push(`engine heartbeat is stale (${age} ms old)`);
      if (heartbeat !== null && !HEALTHY_STREAM_STATES.has(heartbeat.streamState)) {
        reasons.push(`engine trade stream is ${heartbeat.streamState}`);
      }
      const engineOk = heartbeat !== null && !reasons.some((r) => r.startsWith('engine'));
      return reply.status(reasons.length === 0 ? 200 : 503).send({
        status: reasons.length === 0 ? 'ok' : 'degraded',
        reasons,
        checks: {
          database,
          bus: { ok: busOk, kind: ctx.config.bus.kind },
          engine: {
            ok: engineOk,
            heartbeat_at: heartbeat?.at ?? null,
            heartbeat_age_ms: age,
            stream_state: heartbeat?.streamState ?? null,
            environment: heartbeat?.environment ?? null,
          },
        },
      });
    },
  );
}
