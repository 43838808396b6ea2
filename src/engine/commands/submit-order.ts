/**
 * submit_order: places one order, exactly once, and never after a halt.
 *
 * In order:
 * 1. Outcome first. A command claimed before (a redelivery, or one resumed from a dead or paused
 *    engine) first asks what was already placed under its client order id (ledger, then broker);
 *    found, it succeeds with that order, whatever its expiry or the trading state say now. Only
 *    then are expiry and halts decided, so an order the broker accepted is never recorded expired.
 * 2. Expiry, by the store's clock (the one clock the API used to set it).
 * 3. Draft integrity: the intent must hash to the content hash the person confirmed (the payload's
 *    and the stored draft's); a mismatch is refused and audited.
 * 4. The submission gate (safety/submission-gate.ts): closed by a kill switch, it refuses at once;
 *    entered, the submission holds it until its order is stored, so a kill switch waits for it.
 * 5. The one fail-closed pre-submit gate (pre-submit-risk.ts), core's denial codes.
 * 6. The fenced broker write (../fenced-broker.ts): the lease is proved and the DURABLE trading
 *    state read right before the call.
 *
 * The client order id derives from the draft (or the command), so a second attempt can never
 * place a second order; an ambiguous outcome is finished `failed` (`submit_ambiguous`) and left to
 * the stream and reconciliation: never resubmitted. A lost lease is not an outcome: it propagates
 * and the command is left to the engine that holds the lease.
 */
import { AUDIT_ACTIONS } from '../../contract/audit-actions.js';
import { clientOrderIdFor } from '../../contract/client-order-id.js';
import { type CommandPayload, parseCommandPayload } from '../../contract/command-payloads.js';
import { brokerFailureCode } from '../../contract/commands.js';
import type { Command, CommandOutcome } from '../../core/command.js';
import { draftContentHash } from '../../core/draft.js';
import type { Order } from '../../core/order.js';
import type { OrderIntent } from '../../core/order-request.js';
import { compareTimestamps } from '../../core/time.js';
import { reducesExposure } from '../../core/trading-state.js';
import { BrokerError } from '../../ports/broker.js';
import { WriteRefusedError } from '../fenced-broker.js';
import { type CommandContext, expired, failed, rejected } from './command-context.js';
import { auditOrder, notifyRejected } from './order-audit.js';
import { preSubmitDenials } from './pre-submit-risk.js';

const REJECTIONS = new Set(['rejected', 'insufficient_buying_power', 'insufficient_qty', 'invalid_request']);

/** The outcome of an earlier attempt could not be learnt: leave the command for a later delivery. */
export class OutcomeUnknownError extends Error {
  constructor(clientOrderId: string, cause: unknown) {
    super(
      `could not ask the broker whether ${clientOrderId} was already placed (${cause instanceof Error ? cause.message : String(cause)}); retried later`,
    );
    this.name = 'OutcomeUnknownError';
  }
}

function succeeded(order: Order, note?: string): CommandOutcome {
  return {
    status: 'succeeded',
    result: {
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      status: order.status,
      ...(note ? { note } : {}),
    },
  };
}

async function reduces(ctx: CommandContext, intent: OrderIntent): Promise<boolean> {
  if (intent.qty === undefined) return false;
  const position = (await ctx.store.positions.list(ctx.profileId)).find((p) => p.symbol === intent.symbol);
  return reducesExposure(position?.qty ?? '0', intent.side, intent.qty);
}

async function alreadyPlaced(ctx: CommandContext, clientOrderId: string): Promise<Order | null> {
  const local = await ctx.store.orders.getByClientOrderId(ctx.profileId, clientOrderId);
  if (local) return local;
  try {
    return await ctx.broker.getOrderByClientOrderId(clientOrderId, { lane: 'entry' });
  } catch (error) {
    throw new OutcomeUnknownError(clientOrderId, error);
  }
}

/** The confirmed content hash: the payload's, the stored draft's, and the intent's must agree. */
async function integrityProblem(
  ctx: CommandContext,
  payload: CommandPayload<'submit_order'>,
  intent: OrderIntent,
) {
  const draftId = payload.draftId ?? null;
  if (draftId === null) return null;
  const computed = draftContentHash(ctx.profileId, intent);
  const draft = await ctx.store.drafts.get(ctx.profileId, draftId);
  const confirmed = payload.contentHash;
  if (draft !== null && draft.contentHash === computed && confirmed === computed) return null;
  return {
    draftId,
    computed,
    payloadHash: confirmed ?? null,
    draftHash: draft?.contentHash ?? null,
  };
}

export async function submitOrder(ctx: CommandContext, command: Command): Promise<CommandOutcome> {
  const parsed = parseCommandPayload('submit_order', command.payload);
  if (!parsed.ok) return rejected('invalid_payload', parsed.message, { field: parsed.field });
  const intent: OrderIntent = parsed.payload.intent;
  const draftId = parsed.payload.draftId ?? null;
  const clientOrderId = draftId
    ? clientOrderIdFor('draft', draftId)
    : clientOrderIdFor('command', command.id);
  if (command.attempts > 1) {
    const existing = await alreadyPlaced(ctx, clientOrderId);
    if (existing) return succeeded(existing, 'placed by an earlier attempt');
  }
  // Read together, decided in order: expiry, integrity, then the lane (entry or exit).
  const [now, problem, reducing] = await Promise.all([
    ctx.store.now(),
    integrityProblem(ctx, parsed.payload, intent),
    reduces(ctx, intent),
  ]);
  if (command.expiresAt && compareTimestamps(now, command.expiresAt) > 0) {
    return expired('expired before it ran');
  }
  if (problem) {
    const message = 'the order does not match the draft the person confirmed (content hash mismatch)';
    await auditOrder(ctx, command, AUDIT_ACTIONS.draftIntegrityFailed, clientOrderId, problem, message);
    return rejected('draft_integrity_failed', message, { clientOrderId, ...problem });
  }
  const leave = ctx.safety?.states.gate.enter();
  if (leave === null) {
    const message = `${ctx.safety?.states.gate.closedBy ?? 'kill switch'}: trading is HALTED, nothing is sent`;
    await auditOrder(
      ctx,
      command,
      AUDIT_ACTIONS.orderDenied,
      clientOrderId,
      { codes: ['TRADING_HALTED'] },
      message,
    );
    return rejected('TRADING_HALTED', message, { clientOrderId, codes: ['TRADING_HALTED'] });
  }
  try {
    return await gatedSubmit(ctx, command, intent, clientOrderId, reducing ? 'exit' : 'entry');
  } finally {
    leave?.();
  }
}

async function gatedSubmit(
  ctx: CommandContext,
  command: Command,
  intent: OrderIntent,
  clientOrderId: string,
  lane: 'entry' | 'exit',
): Promise<CommandOutcome> {
  const denials = await preSubmitDenials(ctx, intent, lane);
  if (denials.length > 0) {
    const codes = denials.map((d) => d.code ?? d.check);
    const message = denials.map((d) => d.message).join('; ');
    await auditOrder(
      ctx,
      command,
      AUDIT_ACTIONS.orderDenied,
      clientOrderId,
      { codes, checks: denials },
      message,
    );
    return rejected(codes, message, { clientOrderId, codes, checks: denials });
  }
  await auditOrder(ctx, command, AUDIT_ACTIONS.orderSubmitted, clientOrderId, { intent, lane });
  try {
    const order = await ctx.broker.submitOrder({ ...intent, clientOrderId }, { lane });
    await ctx.store.orders.apply(ctx.profileId, order);
    ctx.announce?.('orders', [order.id]);
    await auditOrder(ctx, command, AUDIT_ACTIONS.orderAccepted, clientOrderId, {
      orderId: order.id,
      status: order.status,
    });
    return succeeded(order);
  } catch (error) {
    if (error instanceof WriteRefusedError) {
      await auditOrder(
        ctx,
        command,
        AUDIT_ACTIONS.orderDenied,
        clientOrderId,
        { codes: [error.code] },
        error.message,
      );
      return rejected(error.code, error.message, { clientOrderId, codes: [error.code] });
    }
    if (!(error instanceof BrokerError)) throw error;
    return brokerFailure(ctx, command, clientOrderId, error);
  }
}

async function brokerFailure(
  ctx: CommandContext,
  command: Command,
  clientOrderId: string,
  error: BrokerError,
): Promise<CommandOutcome> {
  if (REJECTIONS.has(error.code)) {
    await auditOrder(
      ctx,
      command,
      AUDIT_ACTIONS.orderRejectedByBroker,
      clientOrderId,
      { code: error.code },
      error.message,
    );
    await notifyRejected(ctx, command, clientOrderId, error.code, error.message);
    return rejected(error.code, error.message, { clientOrderId });
  }
  if (error.code === 'ambiguous') {
    await auditOrder(ctx, command, AUDIT_ACTIONS.orderSubmitAmbiguous, clientOrderId, {}, error.message);
    await notifyAmbiguous(ctx, command, clientOrderId, error.message);
    return failed('submit_ambiguous', `${error.message}; reconciliation will settle the order`, {
      clientOrderId,
    });
  }
  return failed(brokerFailureCode(error.code), error.message, { clientOrderId });
}

async function notifyAmbiguous(
  ctx: CommandContext,
  command: Command,
  clientOrderId: string,
  message: string,
) {
  await ctx.notifier
    ?.notify({
      kind: 'ambiguous_submit',
      profileId: ctx.profileId,
      environment: ctx.environment,
      title: 'Order submission outcome unknown',
      message: `command ${command.id}: ${message}. It will not be resent; reconciliation settles it.`,
      data: { commandId: command.id, clientOrderId },
    })
    .catch((error) => ctx.log.warn({ err: error }, 'notifier failed'));
}
