/**
 * Confirming a draft, exactly once. The draft's compare-and-set (staged -> confirmed with the new
 * command id) and the command's insert run in ONE transaction, so either both are stored or
 * neither: two concurrent confirms cannot both win, and the loser reads the winner's command.
 * A repeated confirm returns that same command while it is in flight (or always, when it carries
 * the same Idempotency-Key); once the command has finished, a new confirm is a 409.
 *
 * Integrity: the stored draft's content hash is recomputed from its stored intent first; a
 * mismatch (the row was edited) is refused with `draft_integrity_failed`, audited as
 * `draft.integrity_failed`, and nothing is queued. Expiry is judged by the store's clock.
 *
 * If publishing fails and the command is recorded rejected, the draft goes back to staged, so the
 * person can confirm it again while it has not expired. If the rejection could not be recorded
 * (the command may still run from the database), the draft stays confirmed: a repeat confirm
 * returns that command, never a second one. The `draft.confirmed` audit event is stored in the
 * same transaction as the command (correlation: the confirm's request id).
 */
import { AUDIT_ACTIONS } from '../contract/audit-actions.js';
import { clientOrderIdFor } from '../contract/client-order-id.js';
import { commandPayload } from '../contract/command-payloads.js';
import { isTerminalCommandStatus } from '../contract/commands.js';
import { type Draft, draftContentHash } from '../core/draft.js';
import { timestampMs } from '../core/time.js';
import { auditEvent } from './audit-trail.js';
import {
  announceCommand,
  assertCommandsAccepted,
  type EnqueueResult,
  newCommand,
  publishCommand,
} from './command-service.js';
import type { ApiContext } from './context.js';
import { assessDraft, confirmPhraseFor, phraseMatches } from './draft-preview.js';
import { ApiError } from './errors.js';

export interface ConfirmInput {
  draftId: string;
  confirmPhrase: string | undefined;
  idempotencyKey: string | null;
  correlationId: string;
  actor: string;
}

async function replay(ctx: ApiContext, draft: Draft, key: string | null): Promise<EnqueueResult> {
  const command =
    draft.commandId === null ? null : await ctx.store.commands.get(ctx.profileId, draft.commandId);
  if (command === null) throw new Error(`draft ${draft.id} is confirmed but its command is missing`);
  const sameKey = key !== null && command.idempotencyKey === key;
  if (!sameKey && isTerminalCommandStatus(command.status)) {
    throw new ApiError('draft_already_executed', {
      draft_id: draft.id,
      command_id: command.id,
      status: command.status,
    });
  }
  return { command, replayed: true, published: true };
}

/** Refuses (and audits) a stored draft whose intent no longer matches its content hash. */
async function assertIntegrity(ctx: ApiContext, draft: Draft, input: ConfirmInput): Promise<void> {
  const computed = draftContentHash(draft.profileId, draft.intent);
  if (computed === draft.contentHash) return;
  ctx.log.error({ draftId: draft.id }, 'a stored draft does not match its content hash; confirm refused');
  await ctx.store.audit.append(
    auditEvent(ctx, {
      action: AUDIT_ACTIONS.draftIntegrityFailed,
      actor: input.actor,
      reason: 'the stored draft does not match its content hash',
      subjectType: 'draft',
      subjectId: draft.id,
      correlationId: input.correlationId,
      data: { draftId: draft.id, storedHash: draft.contentHash, computedHash: computed },
    }),
  );
  throw new ApiError('draft_integrity_failed', { draft_id: draft.id });
}

/** Throws unless the draft is staged, unexpired, allowed (now as well as then) and, live, phrased. */
async function assertConfirmable(
  ctx: ApiContext,
  draft: Draft,
  phrase: string | undefined,
  now: number,
): Promise<void> {
  const expired = draft.status === 'expired' || now >= timestampMs(draft.expiresAt);
  if (expired) {
    if (draft.status === 'staged') await ctx.store.drafts.setStatus(ctx.profileId, draft.id, 'expired');
    throw new ApiError('draft_expired', { draft_id: draft.id, expires_at: draft.expiresAt });
  }
  if (draft.status === 'denied' || !draft.verdict.allowed) {
    throw new ApiError('draft_denied', { draft_id: draft.id, verdict: draft.verdict });
  }
  const fresh = (await assessDraft(ctx, draft.intent, now)).verdict;
  if (!fresh.allowed) {
    throw new ApiError(
      'draft_denied',
      { draft_id: draft.id, verdict: fresh },
      'The draft is denied by the risk checks as things stand now.',
    );
  }
  if (ctx.config.environment === 'live' && !phraseMatches(phrase, confirmPhraseFor(draft.intent))) {
    throw new ApiError('confirm_phrase_invalid', {
      expected_format: 'SIDE QTY SYMBOL as in the draft, e.g. SELL 5 XYZ or BUY $250 XYZ',
    });
  }
}

export async function confirmDraft(ctx: ApiContext, input: ConfirmInput): Promise<EnqueueResult> {
  const draft = await ctx.store.drafts.get(ctx.profileId, input.draftId);
  if (draft === null) throw new ApiError('draft_not_found', { draft_id: input.draftId });
  if (draft.status === 'confirmed') return replay(ctx, draft, input.idempotencyKey);
  await assertIntegrity(ctx, draft, input);
  // One reading of the store's clock for the whole confirm; the draft's checks and the bus's
  // guards read in parallel, and their errors are reported in this order.
  const now = await ctx.store.now();
  const [confirmable, accepted] = await Promise.allSettled([
    assertConfirmable(ctx, draft, input.confirmPhrase, timestampMs(now)),
    assertCommandsAccepted(ctx),
  ]);
  if (confirmable.status === 'rejected') throw confirmable.reason;
  if (accepted.status === 'rejected') throw accepted.reason;
  const clientOrderId = clientOrderIdFor('draft', draft.id);
  const command = await newCommand(
    ctx,
    {
      type: 'submit_order',
      payload: commandPayload('submit_order', {
        draftId: draft.id,
        contentHash: draft.contentHash,
        clientOrderId,
        intent: draft.intent,
      }),
      idempotencyKey: input.idempotencyKey,
      correlationId: input.correlationId,
      expires: true,
      actor: input.actor,
    },
    now,
  );
  const stored = await ctx.store.transaction(async (tx) => {
    if (!(await tx.drafts.confirm(ctx.profileId, draft.id, command.id))) return null;
    const created = await tx.commands.create(command);
    if (!created.created) {
      throw new ApiError('idempotency_key_reused', {
        idempotency_key: input.idempotencyKey,
        command_id: created.command.id,
      });
    }
    await tx.audit.append(
      auditEvent(ctx, {
        action: AUDIT_ACTIONS.draftConfirmed,
        actor: input.actor,
        reason: null,
        subjectType: 'command',
        subjectId: command.id,
        correlationId: command.correlationId,
        data: { draftId: draft.id, commandId: command.id, clientOrderId, contentHash: draft.contentHash },
      }),
    );
    return created.command;
  });
  if (stored !== null) announceCommand(ctx, stored.id);
  if (stored === null) {
    const now = await ctx.store.drafts.get(ctx.profileId, draft.id);
    if (now?.status === 'confirmed') return replay(ctx, now, input.idempotencyKey);
    throw new ApiError('draft_expired', { draft_id: draft.id, status: now?.status ?? 'unknown' });
  }
  try {
    return { command: await publishCommand(ctx, stored), replayed: false, published: true };
  } catch (error) {
    if (error instanceof ApiError && error.details.may_still_run !== true) {
      await ctx.store.drafts.setStatus(ctx.profileId, draft.id, 'staged').catch((restageError: unknown) => {
        ctx.log.error(
          { err: restageError, draftId: draft.id },
          'could not restage a draft after a rejected publish',
        );
      });
    }
    throw error;
  }
}
