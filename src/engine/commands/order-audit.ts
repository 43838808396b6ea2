/**
 * Audit events of the order path, tied to the command's correlation id with the client order id in
 * `data`, so `GET /audit?correlation_id=` follows request -> command -> client order id -> fills:
 * `order.denied` (the engine's risk check), `order.submitted`, and the broker's answer
 * (`order.accepted`, `order.rejected_by_broker`, `order.submit_ambiguous`). A broker rejection is
 * also notified. Without the safety context (bare test contexts) nothing is written.
 */
import type { AuditAction } from '../../contract/audit-actions.js';
import type { Command } from '../../core/command.js';
import type { CommandContext } from './command-context.js';

export async function auditOrder(
  ctx: CommandContext,
  command: Command,
  action: AuditAction,
  clientOrderId: string,
  data: Record<string, unknown> = {},
  reason: string | null = null,
): Promise<void> {
  await ctx.safety?.audit({
    actor: 'engine',
    action,
    reason,
    subjectType: 'order',
    subjectId: clientOrderId,
    correlationId: command.correlationId,
    data: { commandId: command.id, clientOrderId, ...data },
  });
}

export async function notifyRejected(
  ctx: CommandContext,
  command: Command,
  clientOrderId: string,
  code: string,
  message: string,
): Promise<void> {
  await ctx.safety?.notify({
    kind: 'order_rejected',
    title: 'Order rejected by the broker',
    message: `${clientOrderId}: ${message}`,
    data: { commandId: command.id, clientOrderId, code },
  });
}
