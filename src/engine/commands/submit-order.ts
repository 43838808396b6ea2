/**
 * submit_order: places one order, exactly once. The client order id derives from the draft (or
 * the command), so a redelivered command finds the order it already placed instead of placing a
 * second one; an ambiguous outcome (the adapter's lookup by client order id found nothing) is
 * finished `failed` with `submit_ambiguous` and left to the stream and reconciliation: never
 * resubmitted. The enforced trading state gates entries (HALTED: nothing; REDUCING: only orders
 * that shrink a position).
 */
import type { Command, CommandOutcome } from '../../core/command.js';
import type { Order } from '../../core/order.js';
import { clientOrderIdFor, type OrderIntent } from '../../core/order-request.js';
import { reducesExposure } from '../../core/trading-state.js';
import { BrokerError } from '../../ports/broker.js';
import { type CommandContext, failed, rejected } from './command-context.js';
import { auditOrder, notifyRejected } from './order-audit.js';
import { riskDenials } from './pre-submit-risk.js';

const REJECTIONS = new Set(['rejected', 'insufficient_buying_power', 'insufficient_qty', 'invalid_request']);

function parseIntent(payload: Readonly<Record<string, unknown>>): OrderIntent | null {
  const intent = payload.intent as Record<string, unknown> | undefined;
  if (typeof intent !== 'object' || intent === null) return null;
  const okSide = intent.side === 'buy' || intent.side === 'sell';
  const okAmount = typeof intent.qty === 'string' || typeof intent.notional === 'string';
  if (typeof intent.symbol !== 'string' || !okSide || !okAmount || typeof intent.type !== 'string')
    return null;
  return intent as unknown as OrderIntent;
}

function succeeded(order: Order): CommandOutcome {
  return {
    status: 'succeeded',
    result: { orderId: order.id, clientOrderId: order.clientOrderId, status: order.status },
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
  return ctx.broker.getOrderByClientOrderId(clientOrderId, { lane: 'entry' });
}

export async function submitOrder(ctx: CommandContext, command: Command): Promise<CommandOutcome> {
  const intent = parseIntent(command.payload);
  if (!intent) return rejected('invalid_payload', 'submit_order needs an order intent');
  const draftId = typeof command.payload.draftId === 'string' ? command.payload.draftId : null;
  const clientOrderId = draftId
    ? clientOrderIdFor('draft', draftId)
    : clientOrderIdFor('command', command.id);
  const state = ctx.tradingState();
  const reducing = await reduces(ctx, intent);
  if (state === 'HALTED') return rejected('trading_halted', 'trading is halted; no new orders');
  if (state === 'REDUCING' && !reducing) {
    return rejected(
      'trading_reducing',
      'trading is REDUCING (stream down or reduce-only): entries are refused',
    );
  }
  if (command.attempts > 1) {
    const existing = await alreadyPlaced(ctx, clientOrderId);
    if (existing) return succeeded(existing);
  }
  const lane = reducing ? 'exit' : 'entry';
  const denials = await riskDenials(ctx, intent, lane);
  if (denials.length > 0) {
    const codes = denials.map((d) => d.code ?? d.check);
    const message = denials.map((d) => d.message).join('; ');
    await auditOrder(ctx, command, 'order.denied', clientOrderId, { codes, checks: denials }, message);
    return rejected(codes.join(','), message, { clientOrderId, codes, checks: denials });
  }
  await auditOrder(ctx, command, 'order.submitted', clientOrderId, { intent, lane });
  try {
    const order = await ctx.broker.submitOrder({ ...intent, clientOrderId }, { lane });
    await ctx.store.orders.apply(ctx.profileId, order);
    await auditOrder(ctx, command, 'order.accepted', clientOrderId, {
      orderId: order.id,
      status: order.status,
    });
    return succeeded(order);
  } catch (error) {
    if (!(error instanceof BrokerError)) throw error;
    if (REJECTIONS.has(error.code)) {
      await auditOrder(
        ctx,
        command,
        'order.rejected_by_broker',
        clientOrderId,
        { code: error.code },
        error.message,
      );
      await notifyRejected(ctx, command, clientOrderId, error.code, error.message);
      return rejected(error.code, error.message, { clientOrderId });
    }
    if (error.code === 'ambiguous') {
      await auditOrder(ctx, command, 'order.submit_ambiguous', clientOrderId, {}, error.message);
      await notifyAmbiguous(ctx, command, clientOrderId, error.message);
      return failed('submit_ambiguous', `${error.message}; reconciliation will settle the order`, {
        clientOrderId,
      });
    }
    return failed(`broker_${error.code}`, error.message, { clientOrderId });
  }
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
