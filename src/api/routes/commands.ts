/**
 * The command log (GET /commands, GET /commands/{id}) and the commands that need no draft:
 * the kill switch, the resume (re-arm) and a cancel. All pass the guards in command-service.ts
 * (profile, engine environment, bus health, an engine that claims what is queued) before anything
 * is stored; invalid input never reaches the bus. Each new command is stored with its audit event
 * (audit-trail.ts). The kill switch alone is accepted while the engine is not claiming commands
 * (it is stored durably and the engine sweeps the database): its 202 then carries a `warning`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AUDIT_ACTIONS } from '../../contract/audit-actions.js';
import { commandPayload } from '../../contract/command-payloads.js';
import { COMMAND_STATUSES, COMMAND_TYPES } from '../../contract/commands.js';
import { isBlank } from '../../core/visible-text.js';
import { actorOf } from '../audit-trail.js';
import {
  assertCommandsAccepted,
  assertProfile,
  BUS_DOWN_WARNING,
  enqueueCommand,
} from '../command-service.js';
import type { ApiContext } from '../context.js';
import { ApiError, invalid } from '../errors.js';
import { commandWire } from '../presenters.js';
import { replySchema, routeSchema, type ZodJsonSchemaProvider } from '../route-schema.js';
import {
  commandReplySchema,
  commandSchema,
  confirmTokenField,
  limitField,
  profileIdField,
  str,
  tokenPattern,
  withErrors,
} from '../schemas.js';
import { commandsBody } from '../snapshots.js';
import { commandReplyWireSchema } from '../wire-schemas.js';

const tags = ['commands'];

/** The Idempotency-Key header every POST accepts. */
export const idempotencyHeaders = routeSchema(
  z.looseObject({
    'idempotency-key': z
      .string()
      .min(1)
      .max(200)
      .regex(tokenPattern)
      .describe('a repeated request with the same key returns the same result')
      .optional(),
  }),
);

export function idempotencyKeyOf(request: FastifyRequest): string | null {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' ? key : null;
}

/** 202 for a new command, 200 for a replay of an earlier request. */
export const commandReplies = withErrors({ 200: commandReplySchema, 202: commandReplySchema });

/** The kill switch's replies: a command reply, with a warning when the engine is not claiming. */
const killSwitchReply = replySchema(
  commandReplyWireSchema.extend({
    warning: z
      .string()
      .describe('present when the engine has not claimed queued commands within the bound')
      .optional(),
  }),
);
const killSwitchReplies = withErrors({ 200: killSwitchReply, 202: killSwitchReply });

const listQuery = z.strictObject({
  status: z.enum(COMMAND_STATUSES).optional(),
  type: z.enum(COMMAND_TYPES).optional(),
  limit: limitField.optional(),
});
const commandParams = z.strictObject({ id: z.string().min(1).max(128) });

function registerReads(app: FastifyInstance, ctx: ApiContext): void {
  const querystring = routeSchema(listQuery);
  const list = {
    type: 'object',
    properties: { profile_id: str, commands: { type: 'array', items: commandSchema } },
  };
  app.withTypeProvider<ZodJsonSchemaProvider>().get(
    '/commands',
    {
      schema: { tags, summary: 'Commands, newest first', querystring, response: withErrors({ 200: list }) },
    },
    async (request) => {
      const q = request.query;
      return commandsBody(ctx, {
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.type === undefined ? {} : { type: q.type }),
        limit: q.limit === undefined ? 100 : Number(q.limit),
      });
    },
  );
  const params = routeSchema(commandParams);
  app.withTypeProvider<ZodJsonSchemaProvider>().get(
    '/commands/:id',
    {
      schema: {
        tags,
        summary: 'One command: status, result, error',
        params,
        response: withErrors({ 200: commandSchema }),
      },
    },
    async (request) => {
      const command = await ctx.store.commands.get(ctx.profileId, request.params.id);
      if (command === null) throw new ApiError('command_not_found', { command_id: request.params.id });
      return commandWire(command);
    },
  );
}

/**
 * The kill switch and the resume need the environment the engine runs in (its heartbeat, else
 * the API's own), typed as PAPER or LIVE in any case.
 */
async function assertConfirmToken(ctx: ApiContext, token: string): Promise<void> {
  const heartbeat = await ctx.store.heartbeats.read(ctx.profileId);
  const environment = heartbeat?.environment ?? ctx.config.environment;
  if (token.trim().toLowerCase() !== environment) {
    throw new ApiError('confirm_token_invalid', { expected: environment.toUpperCase() });
  }
}

const killBody = z.strictObject({
  confirm_token: confirmTokenField,
  reason: z.string().max(500).optional(),
  profile_id: profileIdField.optional(),
});

function registerKillSwitch(app: FastifyInstance, ctx: ApiContext): void {
  const body = routeSchema(killBody);
  app.withTypeProvider<ZodJsonSchemaProvider>().post(
    '/commands/kill-switch',
    {
      schema: {
        tags,
        summary: 'Emergency: halt, cancel open orders, close all positions (never expires)',
        headers: idempotencyHeaders,
        body,
        response: killSwitchReplies,
      },
    },
    async (request, reply) => {
      assertProfile(ctx, request.body.profile_id);
      await assertConfirmToken(ctx, request.body.confirm_token);
      const { warning } = await assertCommandsAccepted(ctx, { allowUnclaimed: true });
      const given = request.body.reason?.trim();
      const reason = isBlank(given) ? 'kill switch from the API' : (given as string);
      const result = await enqueueCommand(
        ctx,
        {
          type: 'kill_switch',
          // The engine checks the token again against its own environment.
          payload: commandPayload('kill_switch', {
            reason,
            confirm_token: request.body.confirm_token.trim().toUpperCase(),
          }),
          idempotencyKey: idempotencyKeyOf(request),
          correlationId: request.id,
          expires: false,
          actor: actorOf(ctx, request),
          durable: true,
        },
        { action: AUDIT_ACTIONS.killSwitchRequested, reason },
      );
      const said = warning ?? (result.published ? null : BUS_DOWN_WARNING);
      return reply.status(result.replayed ? 200 : 202).send({
        command: commandWire(result.command),
        replayed: result.replayed,
        ...(said === null ? {} : { warning: said }),
      });
    },
  );
}

const cancelBody = z.strictObject({
  order_id: z.string().min(1).max(128).regex(tokenPattern),
  profile_id: profileIdField.optional(),
});

function registerCancel(app: FastifyInstance, ctx: ApiContext): void {
  const body = routeSchema(cancelBody);
  app.withTypeProvider<ZodJsonSchemaProvider>().post(
    '/commands/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel an open order (the command expires)',
        headers: idempotencyHeaders,
        body,
        response: commandReplies,
      },
    },
    async (request, reply) => {
      assertProfile(ctx, request.body.profile_id);
      await assertCommandsAccepted(ctx);
      const result = await enqueueCommand(
        ctx,
        {
          type: 'cancel_order',
          payload: commandPayload('cancel_order', { orderId: request.body.order_id }),
          idempotencyKey: idempotencyKeyOf(request),
          correlationId: request.id,
          expires: true,
          actor: actorOf(ctx, request),
        },
        { action: AUDIT_ACTIONS.cancelRequested, reason: null, data: { orderId: request.body.order_id } },
      );
      return reply
        .status(result.replayed ? 200 : 202)
        .send({ command: commandWire(result.command), replayed: result.replayed });
    },
  );
}

const resumeBody = z.strictObject({
  confirm_token: confirmTokenField,
  reason: z.string().min(1).max(500).describe('why (audited); must hold a visible character'),
  profile_id: profileIdField.optional(),
});

function registerResume(app: FastifyInstance, ctx: ApiContext): void {
  const body = routeSchema(resumeBody);
  app.withTypeProvider<ZodJsonSchemaProvider>().post(
    '/commands/resume',
    {
      schema: {
        tags,
        summary: 'Re-arm: the engine leaves HALTED (or REDUCING) for ACTIVE (never expires)',
        headers: idempotencyHeaders,
        body,
        response: commandReplies,
      },
    },
    async (request, reply) => {
      assertProfile(ctx, request.body.profile_id);
      if (isBlank(request.body.reason)) {
        throw invalid([
          {
            field: 'reason',
            in: 'body',
            message: 'must not be blank (spaces and invisible characters do not count)',
          },
        ]);
      }
      await assertConfirmToken(ctx, request.body.confirm_token);
      const state = await ctx.store.tradingState.get(ctx.profileId);
      await assertCommandsAccepted(ctx);
      const reason = request.body.reason.trim();
      const result = await enqueueCommand(
        ctx,
        {
          type: 'resume',
          payload: commandPayload('resume', {
            reason,
            confirm_token: request.body.confirm_token.trim().toUpperCase(),
          }),
          idempotencyKey: idempotencyKeyOf(request),
          correlationId: request.id,
          expires: false,
          actor: actorOf(ctx, request),
        },
        { action: AUDIT_ACTIONS.resumeRequested, reason, data: { from: state?.state ?? 'ACTIVE' } },
      );
      return reply
        .status(result.replayed ? 200 : 202)
        .send({ command: commandWire(result.command), replayed: result.replayed });
    },
  );
}

export function registerCommandRoutes(app: FastifyInstance, ctx: ApiContext): void {
  registerReads(app, ctx);
  registerKillSwitch(app, ctx);
  registerResume(app, ctx);
  registerCancel(app, ctx);
}
