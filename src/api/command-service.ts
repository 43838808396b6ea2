/**
 * Creating and publishing commands. Every command-creating route goes through here, so the same
 * guards apply to all: the profile must be the one this deployment serves, the engine (when its
 * heartbeat is known) must run in the API's environment, and the bus must be healthy.
 *
 * Atomicity: the command row is stored first (queued), then published. If publishing fails the
 * row is immediately finished as `rejected` with code `bus_unavailable` and the client gets 503,
 * so no command is ever left queued without a bus entry (nothing is silently lost), and a
 * command the engine never saw can never fire later. Replaying the same Idempotency-Key returns
 * that stored command as it is; send a new key to try again.
 */
import { canonicalJson } from '../core/canonical-json.js';
import type { Command, CommandType } from '../core/command.js';
import { auditEvent } from './audit-trail.js';
import type { ApiContext } from './context.js';
import { ApiError } from './errors.js';

export interface CommandRequest {
  type: CommandType;
  payload: Record<string, unknown>;
  idempotencyKey: string | null;
  correlationId: string;
  /** Order commands expire; a kill switch does not. */
  expires: boolean;
  /** Who asked (see audit-trail.ts). */
  actor: string;
}

/** The audit event written with a new command, in the same transaction. */
export interface CommandAudit {
  action: string;
  reason: string | null;
  data?: Record<string, unknown>;
}

export interface EnqueueResult {
  command: Command;
  /** True when an earlier request (same Idempotency-Key or same draft) created it. */
  replayed: boolean;
}

/** Refuses a profile this deployment does not serve. */
export function assertProfile(ctx: ApiContext, profileId: string | undefined): void {
  if (profileId !== undefined && profileId !== ctx.profileId) {
    throw new ApiError('profile_not_served', { profile_id: profileId, served_profile_id: ctx.profileId });
  }
}

/** The guards every command passes before anything is stored. */
export async function assertCommandsAccepted(ctx: ApiContext): Promise<void> {
  const heartbeat = await ctx.store.heartbeats.read(ctx.profileId);
  if (heartbeat !== null && heartbeat.environment !== ctx.config.environment) {
    throw new ApiError('environment_mismatch', {
      api_environment: ctx.config.environment,
      engine_environment: heartbeat.environment,
    });
  }
  if (!(await ctx.bus.healthy())) throw new ApiError('bus_unavailable', { bus: ctx.config.bus.kind });
}

export function newCommand(ctx: ApiContext, request: CommandRequest): Command {
  const now = ctx.clock.now();
  const at = now.toISOString();
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
    expiresAt: request.expires ? new Date(now.getTime() + ctx.options.orderCommandTtlMs).toISOString() : null,
  };
}

/** Publishes a stored command; on failure records it rejected and answers 503. */
export async function publishCommand(ctx: ApiContext, command: Command): Promise<void> {
  try {
    await ctx.bus.publish({
      commandId: command.id,
      profileId: command.profileId,
      type: command.type,
      enqueuedAt: ctx.clock.timestamp(),
    });
  } catch (error) {
    ctx.log.error(
      { err: error, commandId: command.id },
      'publishing a command failed; recording it rejected',
    );
    await ctx.store.commands.finish(
      command.profileId,
      command.id,
      {
        status: 'rejected',
        error: { code: 'bus_unavailable', message: 'the command bus refused the command' },
      },
      ctx.clock.timestamp(),
    );
    throw new ApiError('bus_unavailable', { command_id: command.id, bus: ctx.config.bus.kind });
  }
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
  const wanted = newCommand(ctx, request);
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
  if (!created) {
    if (!sameRequest(command, wanted)) {
      throw new ApiError('idempotency_key_reused', {
        idempotency_key: request.idempotencyKey,
        command_id: command.id,
      });
    }
    return { command, replayed: true };
  }
  await publishCommand(ctx, command);
  return { command, replayed: false };
}
