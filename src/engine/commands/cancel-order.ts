/**
 * cancel_order: asks the broker to cancel one order. Success means the broker accepted the
 * request; the order's final status arrives by the stream (or reconciliation).
 */
import { parseCommandPayload } from '../../contract/command-payloads.js';
import { brokerFailureCode } from '../../contract/commands.js';
import type { Command, CommandOutcome } from '../../core/command.js';
import { BrokerError } from '../../ports/broker.js';
import { type CommandContext, failed, rejected } from './command-context.js';

export async function cancelOrder(ctx: CommandContext, command: Command): Promise<CommandOutcome> {
  const parsed = parseCommandPayload('cancel_order', command.payload);
  if (!parsed.ok) return rejected('invalid_payload', parsed.message, { field: parsed.field });
  const { orderId } = parsed.payload;
  try {
    await ctx.broker.cancelOrder(orderId, { lane: 'cancel' });
    return { status: 'succeeded', result: { orderId, status: 'cancel_requested' } };
  } catch (error) {
    if (!(error instanceof BrokerError)) throw error;
    if (error.code === 'not_found' || error.code === 'rejected' || error.code === 'invalid_request') {
      return rejected(error.code, error.message, { orderId });
    }
    return failed(brokerFailureCode(error.code), error.message, { orderId });
  }
}
