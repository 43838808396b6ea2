/**
 * GET /health: liveness plus the components a command needs: the database, the bus, the engine
 * (heartbeat age and trade-stream state) and command claims (the oldest queued command must be
 * claimed within COMMAND_CLAIM_BOUND_MS). 200 when all are fine, 503 with reasons when not. Open
 * without a token, so load balancers and supervisors can probe it; so it never shows a database
 * address or driver text, only `database unreachable` and a safe code. Ages are measured on the
 * store's clock, the one the engine writes its heartbeat against.
 */
import type { FastifyInstance } from 'fastify';
import { isDatabaseUnavailable } from '../../adapters/storage/errors.js';
import { isHealthyStreamState } from '../../contract/stream-state.js';
import { timestampMs } from '../../core/time.js';
import { COMMAND_CLAIM_BOUND_MS, oldestQueued, type UnclaimedCommand } from '../command-service.js';
import type { ApiContext } from '../context.js';
import { bool, nstr, str } from '../schemas.js';

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
        commands: {
          type: 'object',
          properties: {
            ok: bool,
            oldest_queued_id: nstr,
            oldest_queued_age_ms: { type: ['integer', 'null'] },
            claim_bound_ms: { type: 'integer' },
          },
        },
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

/** Codes safe to show on an open route: what kind of failure, never the driver's words. */
export type DatabaseProblem = 'unreachable' | 'error';

interface DatabaseCheck {
  ok: boolean;
  detail: DatabaseProblem | null;
  /** The store's clock, read with the check (null when the database did not answer). */
  nowMs: number | null;
}

async function databaseCheck(ctx: ApiContext): Promise<DatabaseCheck> {
  try {
    const [now] = await Promise.all([ctx.store.now(), ctx.store.tradingState.get(ctx.profileId)]);
    return { ok: true, detail: null, nowMs: timestampMs(now) };
  } catch (error) {
    ctx.log.warn({ err: error }, 'health: the database check failed');
    return { ok: false, detail: isDatabaseUnavailable(error) ? 'unreachable' : 'error', nowMs: null };
  }
}

function claimReason(oldest: UnclaimedCommand | null): string | null {
  if (oldest === null || oldest.ageMs <= COMMAND_CLAIM_BOUND_MS) return null;
  return `command ${oldest.commandId} (${oldest.type}) has been queued for ${Math.round(oldest.ageMs / 1000)} s without being claimed by an engine (bound ${COMMAND_CLAIM_BOUND_MS / 1000} s)`;
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
      const [heartbeat, oldest] = database.ok
        ? await Promise.all([
            ctx.store.heartbeats.read(ctx.profileId).catch(() => null),
            oldestQueued(ctx).catch(() => null),
          ])
        : [null, null];
      const age =
        heartbeat === null || database.nowMs === null
          ? null
          : Math.max(0, database.nowMs - timestampMs(heartbeat.at));
      const reasons: string[] = [];
      if (!database.ok) {
        reasons.push(
          database.detail === 'unreachable' ? 'database unreachable' : 'database error (see the API log)',
        );
      }
      if (!busOk) reasons.push(`command bus (${ctx.config.bus.kind}) unavailable`);
      const unclaimed = claimReason(oldest);
      if (unclaimed !== null) reasons.push(unclaimed);
      if (!database.ok) reasons.push('engine state unknown while the database is unreachable');
      else if (heartbeat === null)
        reasons.push('no engine heartbeat: the engine has not run for this profile');
      else if (age !== null && age > ctx.options.engineStaleMs)
        reasons.push(`engine heartbeat is stale (${age} ms old)`);
      if (heartbeat !== null && !isHealthyStreamState(heartbeat.streamState)) {
        reasons.push(`engine trade stream is ${heartbeat.streamState}`);
      }
      const engineOk = heartbeat !== null && !reasons.some((r) => r.startsWith('engine'));
      return reply.status(reasons.length === 0 ? 200 : 503).send({
        status: reasons.length === 0 ? 'ok' : 'degraded',
        reasons,
        checks: {
          database: { ok: database.ok, detail: database.detail },
          bus: { ok: busOk, kind: ctx.config.bus.kind },
          commands: {
            ok: unclaimed === null,
            oldest_queued_id: oldest?.commandId ?? null,
            oldest_queued_age_ms: oldest?.ageMs ?? null,
            claim_bound_ms: COMMAND_CLAIM_BOUND_MS,
          },
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
