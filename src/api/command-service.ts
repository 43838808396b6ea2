/**
 * Creating and publishing commands. Every command-creating route goes through here, so the same
 * guards apply to all: the profile must be the one this deployment serves, the engine (when its
 * heartbeat is known) must run in the API's environment, the bus must be healthy, and the engine
 * must be claiming what is queued: when the oldest `queued` command has waited longer than
 * COMMAND_CLAIM_BOUND_MS (by the store's clock) new commands are refused with 503
 * `bus_unavailable`, except the kill switch, which is stored and answered with a warning (the
 * engine sweeps queued commands from the database, so it runs as soon as an engine does).
 *
 * Times: createdAt and expiresAt come from the store's clock (`store.now()`), the one clock the
 * engine compares them with (docs/api.md, one-clock rule).
 *
 * Publishing after commit: the command row is stored first (queued), then published. If
 * publishing fails, the row is moved queued -> rejected (`bus_unavailable`) and the client gets
 * 503, so a command the engine never saw cannot fire later. If the engine already claimed it (its
 * database sweep), the command is answered as accepted. If recording the rejection fails too, the
 * answer is 503 saying the command is stored and may still run (it stays queued; the engine's
 * sweep runs it while it has not expired). Replaying the same Idempotency-Key returns that stored
 * command as it is.
 */
import type { AuditAction } from '../contract/audit-actions.js';
import { canonicalJson } from '../core/canonical-json.js';
import type { Command, CommandType } from '../core/command.js';
import { type Timestamp, timestampMs } from '../core/time.js';
import { auditEvent } from './audit-trail.js';
import type { ApiContext } from './context.js';
import { ApiError } from './errors.js';

/** How long the oldest queued command may wait for an engine to claim it before commands are refused. */
export const COMMAND_CLAIM_BOUND_MS = 15_000;

export interface CommandRequest {
  type: CommandType;
  payload: Record<string, unknown>;
  idempotencyKey: string | null;
  correlationId: string;
  /** Order commands expire; a kill switch does not. */
  expires: boolean;
  /** Who asked (see audit-trail.ts). */
  actor: string;
  /**
   * Stored is enough (the kill switch): when publishing fails the command stays queued, because
   * the engine sweeps the database for queued commands (src/engine/command-sweep.ts).
   */
  durable?: boolean;
}

/** The audit event written with a new command, in the same transaction. */
export interface CommandAudit {
  action: AuditAction;
  reason: string | null;
  data?: Record<string, unknown>;
}

export interface EnqueueResult {
  command: Command;
  /** True when an earlier request (same Idempotency-Key or same draft) created it. */
  replayed: boolean;
  /** False when a durable command was stored but the bus refused it (the sweep delivers it). */
  published: boolean;
}

/** Refuses a profile this deployment does not serve. */
export function assertProfile(ctx: ApiContext, profileId: string | undefined): void {
  if (profileId !== undefined && profileId !== ctx.profileId) {
    throw new ApiError('profile_not_served', { profile_id: profileId, served_profile_id: ctx.profileId });
  }
}

/** The oldest queued command, when it has waited for a claim longer than COMMAND_CLAIM_BOUND_MS. */
export interface UnclaimedCommand {
  commandId: string;
  type: string;
  ageMs: number;
}

/** The oldest queued command and its age by the store's clock; null when nothing is queued. */
export async function oldestQueued(ctx: ApiContext): Promise<UnclaimedCommand | null> {
  const [[oldest], now] = await Promise.all([
    ctx.store.commands.list(ctx.profileId, { status: 'queued', order: 'oldest', limit: 1 }),
    ctx.store.now(),
  ]);
  if (oldest === undefined) return null;
  const ageMs = Math.max(0, timestampMs(now) - timestampMs(oldest.createdAt));
  return { commandId: oldest.id, type: oldest.type, ageMs };
}

/** The oldest queued command when the engine has not claimed it within the bound, else null. */
export async function unclaimedCommand(ctx: ApiContext): Promise<UnclaimedCommand | null> {
  const oldest = await oldestQueued(ctx);
  return oldest !== null && oldest.ageMs > COMMAND_CLAIM_BOUND_MS ? oldest : null;
}

/** What a kill switch accepted while the engine is not claiming commands says about it. */
export function unclaimedWarning(unclaimed: UnclaimedCommand): string {
  return `the engine has not claimed queued commands for ${Math.round(unclaimed.ageMs / 1000)} s; the kill switch is stored and runs as soon as an engine sweeps the database`;
}

/**
 * The guards every command passes before anything is stored. The kill switch passes an engine
 * that is not claiming (`allowUnclaimed`) and gets the warning to show instead.
 */
export async function assertCommandsAccepted(
  ctx: ApiContext,
  options: { allowUnclaimed?: boolean } = {},
): Promise<{ warning: string | null }> {
  // Read together, judged in order.
  const [heartbeat, busHealthy, unclaimed] = await Promise.all([
    ctx.store.heartbeats.read(ctx.profileId),
    ctx.bus.healthy(),
    unclaimedCommand(ctx),
  ]);
  if (heartbeat !== null && heartbeat.environment !== ctx.config.environment) {
    throw new ApiError('environment_mismatch', {
      api_environment: ctx.config.environment,
      engine_environment: heartbeat.environment,
    });
  }
  if (!busHealthy) {
    if (!options.allowUnclaimed) throw new ApiError('bus_unavailable', { bus: ctx.config.bus.kind });
    return { warning: BUS_DOWN_WARNING };
  }
  if (unclaimed === null) return { warning: null };
  if (options.allowUnclaimed) return { warning: unclaimedWarning(unclaimed) };
  throw new ApiError(
    'bus_unavailable',
    {
      bus: ctx.config.bus.kind,
      unclaimed_command_id: unclaimed.commandId,
      unclaimed_age_ms: unclaimed.ageMs,
      claim_bound_ms: COMMAND_CLAIM_BOUND_MS,
    },
    `The engine has not claimed queued command ${unclaimed.commandId} for ${Math.round(unclaimed.ageMs / 1000)} s (bound ${COMMAND_CLAIM_BOUND_MS / 1000} s): new commands are refused until it does (the kill switch is still accepted).`,
  );
}

/** What a kill switch accepted without the bus says. */
export const BUS_DOWN_WARNING =
  'the command bus is unavailable: the kill switch is stored and the engine runs it from the database (within seconds while an engine runs)';

/** A new queued command, timed by the store's clock. */
export async function newCommand(
  ctx: ApiContext,
  request: CommandRequest,
  /** The store's time, when the caller has just read it. */
  storeNow?: Timestamp,
): Promise<Command> {
  const at = storeNow ?? (await ctx.store.now());
  return {
    id: ctx.ids.next(),
    profileId: ctx.profileId,
    type: request.type,
    payload: request.payload,
    actor: request.actor,
    idempotencyKey: request.idempotencyKey,
    correlationId: request.correlationId,
    status: 'queued',
    result: null,
    error: null,
    attempts: 0,
    createdAt: at,
    updatedAt: at,
    startedAt: null,
    finishedAt: null,
    expiresAt: request.expires
      ? new Date(timestampMs(at) + ctx.options.orderCommandTtlMs).toISOString()
      : null,
  };
}

/**
 * queued -> rejected (bus_unavailable) unless the engine got there first (its database sweep can
 * claim a command the bus never delivered): one compare-and-set statement, so a running command is
 * never marked rejected. Returns the command rejected, or as the engine left it.
 */
async function rejectUnpublished(ctx: ApiContext, command: Command): Promise<Command> {
  const error = { code: 'bus_unavailable', message: 'the command bus refused the command' };
  const current = await ctx.store.commands.rejectQueued(
    command.profileId,
    command.id,
    error,
    await ctx.store.now(),
  );
  announceCommand(ctx, command.id);
  return current ?? command;
}

/** Tells the change channel (and so every SSE client) that a command was stored or changed. */
export function announceCommand(ctx: Pick<ApiContext, 'changes' | 'profileId'>, commandId: string): void {
  ctx.changes.announce({ profileId: ctx.profileId, kind: 'commands', ids: [commandId] });
}

function envelopeOf(command: Command) {
  return {
    commandId: command.id,
    profileId: command.profileId,
    type: command.type,
    enqueuedAt: command.createdAt,
  };
}

/**
 * Publishes a stored command. Returns it as accepted (published, or already claimed by the engine
 * when publishing failed); throws 503 bus_unavailable when it was rejected instead, or when the
 * rejection could not be recorded (details say it is stored and may still run).
 */
export async function publishCommand(ctx: ApiContext, command: Command): Promise<Command> {
  try {
    await ctx.bus.publish(envelopeOf(command));
    return command;
  } catch (error) {
    ctx.log.error(
      { err: error, commandId: command.id },
      'publishing a command failed; recording it rejected',
    );
  }
  let current: Command;
  try {
    current = await rejectUnpublished(ctx, command);
  } catch (error) {
    ctx.log.error({ err: error, commandId: command.id }, 'recording an unpublished command rejected failed');
    throw new ApiError(
      'bus_unavailable',
      { command_id: command.id, bus: ctx.config.bus.kind, stored: true, may_still_run: true },
      'The command bus refused the command after it was stored, and it could not be recorded rejected: it stays queued and the engine runs it from the database while it has not expired. Check GET /commands/{id} before trying again.',
    );
  }
  if (current.status === 'rejected' && current.error?.code === 'bus_unavailable') {
    throw new ApiError('bus_unavailable', { command_id: command.id, bus: ctx.config.bus.kind });
  }
  return current;
}

function sameRequest(stored: Command, wanted: Command): boolean {
  return stored.type === wanted.type && canonicalJson(stored.payload) === canonicalJson(wanted.payload);
}

/**
 * Stores and publishes a command, or returns the one an earlier request with the same key created.
 * A new command and its audit event are stored in one transaction.
 */
export async function enqueueCommand(
  ctx: ApiContext,
  request: CommandRequest,
  audit: CommandAudit,
): Promise<EnqueueResult> {
  const wanted = await newCommand(ctx, request);
  const { command, created } = await ctx.store.transaction(async (tx) => {
    const stored = await tx.commands.create(wanted);
    if (stored.created) {
      await tx.audit.append(
        auditEvent(ctx, {
          action: audit.action,
          actor: request.actor,
          reason: audit.reason,
          subjectType: 'command',
          subjectId: stored.command.id,
          correlationId: stored.command.correlationId,
          data: { commandId: stored.command.id, type: stored.command.type, ...audit.data },
        }),
      );
    }
    return stored;
  });
  if (created) announceCommand(ctx, command.id);
  if (!created) {
    if (!sameRequest(command, wanted)) {
      throw new ApiError('idempotency_key_reused', {
        idempotency_key: request.idempotencyKey,
        command_id: command.id,
      });
    }
    return { command, replayed: true, published: true };
  }
  if (request.durable) {
    const published = await ctx.bus.publish(envelopeOf(command)).then(
      () => true,
      (error: unknown) => {
        ctx.log.warn(
          { err: error, commandId: command.id },
          'publishing failed; the engine sweeps it from the database',
        );
        return false;
      },
    );
    return { command, replayed: false, published };
  }
  return { command: await publishCommand(ctx, command), replayed: false, published: true };
}
