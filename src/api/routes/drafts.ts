/**
 * Draft and confirm: POST /commands/draft validates an order intent synchronously and stages it
 * with a preview, a verdict and an expiry by the store's clock (201); POST /commands/confirm
 * turns a staged draft into exactly one submit_order command (confirm-draft.ts). No answer ever
 * carries the live confirmation phrase: the person types what they read in the order.
 *
 * Idempotency-Key on a draft: the draft id is derived from the profile and the key (a hash shaped
 * like a UUID), so a repeat with the same key finds the stored draft in any process, and returns
 * it (200) when its content is the same, or answers 409 when the key was used for other content.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AUDIT_ACTIONS } from '../../contract/audit-actions.js';
import { type Draft, draftContentHash } from '../../core/draft.js';
import type { OrderIntent } from '../../core/order-request.js';
import { actorOf, auditEvent } from '../audit-trail.js';
import { assertProfile } from '../command-service.js';
import { confirmDraft } from '../confirm-draft.js';
import type { ApiContext } from '../context.js';
import { draftBodySchema, parseDraftBody } from '../draft-intent.js';
import { assessDraft } from '../draft-preview.js';
import { ApiError } from '../errors.js';
import { commandWire, draftWire } from '../presenters.js';
import { routeSchema, type ZodJsonSchemaProvider } from '../route-schema.js';
import { profileIdField, withErrors } from '../schemas.js';
import { ref } from '../wire-schemas.js';
import { commandReplies, idempotencyHeaders, idempotencyKeyOf } from './commands.js';

const tags = ['commands'];

const draftSchema = ref('Draft');

/** A UUID-shaped id derived from profile and key, so the same key always names the same draft. */
export function draftIdForKey(profileId: string, key: string): string {
  const h = createHash('sha256').update(`draft:${profileId}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Assesses and stores a draft with its audit event (draft.created or draft.denied), all or nothing. */
async function stageDraft(
  ctx: ApiContext,
  request: FastifyRequest,
  id: string,
  intent: OrderIntent,
): Promise<Draft> {
  const { preview, verdict } = await assessDraft(ctx, intent);
  const actor = actorOf(ctx, request);
  const now = new Date(await ctx.store.now());
  const draft: Draft = {
    id,
    profileId: ctx.profileId,
    intent,
    contentHash: draftContentHash(ctx.profileId, intent),
    preview,
    verdict,
    status: verdict.allowed ? 'staged' : 'denied',
    actor,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ctx.config.draftTtlSeconds * 1000).toISOString(),
    commandId: null,
  };
  const denials = verdict.checks.filter((c) => !c.passed);
  for (const d of denials) ctx.metrics.denial(d.code ?? 'unknown');
  await ctx.store.transaction(async (tx) => {
    await tx.drafts.create(draft);
    await tx.audit.append(
      auditEvent(ctx, {
        action: verdict.allowed ? AUDIT_ACTIONS.draftCreated : AUDIT_ACTIONS.draftDenied,
        actor,
        reason: denials.length === 0 ? null : denials.map((c) => `${c.code}: ${c.message}`).join('; '),
        subjectType: 'draft',
        subjectId: draft.id,
        correlationId: request.id,
        data: {
          draftId: draft.id,
          contentHash: draft.contentHash,
          intent,
          preview,
          denials: denials.map((c) => c.code),
          expiresAt: draft.expiresAt,
        },
      }),
    );
  });
  return draft;
}

/** The stored draft for a repeated key: same content or a 409. */
function replayedDraft(existing: Draft, intent: OrderIntent, key: string): Draft {
  if (existing.contentHash !== draftContentHash(existing.profileId, intent)) {
    throw new ApiError('idempotency_key_reused', { idempotency_key: key, draft_id: existing.id });
  }
  return existing;
}

function registerDraft(app: FastifyInstance, ctx: ApiContext): void {
  app.withTypeProvider<ZodJsonSchemaProvider>().post(
    '/commands/draft',
    {
      schema: {
        tags,
        summary: 'Stage an order: validated now, returned with preview, verdict and expiry',
        headers: idempotencyHeaders,
        body: draftBodySchema,
        response: withErrors({ 200: draftSchema, 201: draftSchema }),
      },
    },
    async (request, reply) => {
      assertProfile(ctx, request.body.profile_id);
      const intent = parseDraftBody(request.body);
      const key = idempotencyKeyOf(request);
      const id = key === null ? ctx.ids.next() : draftIdForKey(ctx.profileId, key);
      if (key !== null) {
        const existing = await ctx.store.drafts.get(ctx.profileId, id);
        if (existing !== null) return reply.status(200).send(draftWire(replayedDraft(existing, intent, key)));
      }
      let draft: Draft;
      try {
        draft = await stageDraft(ctx, request, id, intent);
      } catch (error) {
        const raced = key === null ? null : await ctx.store.drafts.get(ctx.profileId, id);
        if (raced === null || key === null) throw error;
        return reply.status(200).send(draftWire(replayedDraft(raced, intent, key)));
      }
      return reply.status(201).send(draftWire(draft));
    },
  );
}

const confirmBody = z.strictObject({
  draft_id: z.string().min(1).max(128),
  confirm_phrase: z
    .string()
    .max(200)
    .describe(
      'live mode: SIDE QTY SYMBOL as the person reads it from the draft (e.g. BUY 10 AAPL, SELL $500 AAPL); never sent by the API',
    )
    .optional(),
  profile_id: profileIdField.optional(),
});

function registerConfirm(app: FastifyInstance, ctx: ApiContext): void {
  const body = routeSchema(confirmBody);
  app.withTypeProvider<ZodJsonSchemaProvider>().post(
    '/commands/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm a staged draft: exactly one submit_order command',
        headers: idempotencyHeaders,
        body,
        response: commandReplies,
      },
    },
    async (request, reply) => {
      assertProfile(ctx, request.body.profile_id);
      const result = await confirmDraft(ctx, {
        draftId: request.body.draft_id,
        confirmPhrase: request.body.confirm_phrase,
        idempotencyKey: idempotencyKeyOf(request),
        correlationId: request.id,
        actor: actorOf(ctx, request),
      });
      return reply
        .status(result.replayed ? 200 : 202)
        .send({ command: commandWire(result.command), replayed: result.replayed });
    },
  );
}

export function registerDraftRoutes(app: FastifyInstance, ctx: ApiContext): void {
  registerDraft(app, ctx);
  registerConfirm(app, ctx);
}
