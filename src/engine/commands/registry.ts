/**
 * Command type -> handler. The execution-safety work adds the risk check, kill switch and resume
 * handlers here, next to submit and cancel.
 */
import type { CommandType } from '../../core/command.js';
import { cancelOrder } from './cancel-order.js';
import type { CommandHandler } from './command-context.js';
import { submitOrder } from './submit-order.js';

export type CommandRegistry = Partial<Record<CommandType, CommandHandler>>;

export function defaultRegistry(): CommandRegistry {
  return { submit_order: submitOrder, cancel_order: cancelOrder };
}

/** Commands that place orders: past their `expiresAt` they are expired instead of run. */
export const ORDER_COMMANDS: ReadonlySet<CommandType> = new Set(['submit_order']);
