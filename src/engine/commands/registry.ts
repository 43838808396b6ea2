/**
 * Command type -> handler. The execution-safety work adds the risk check, kill switch and resume
 * handlers here, next to submit and cancel.
 */
import type { CommandType } from '../../core/command.js';
import { cancelOrder } from './cancel-order.js';
import type { CommandHandler } from './command-context.js';
import { killSwitch } from './kill-switch.js';
import { resume } from './resume.js';
import { submitOrder } from './submit-order.js';

export type CommandRegistry = Partial<Record<CommandType, CommandHandler>>;

export function defaultRegistry(): CommandRegistry {
  return { submit_order: submitOrder, cancel_order: cancelOrder, kill_switch: killSwitch, resume };
}

/**
 * Commands acknowledged once claimed and finished in the background, so a long kill switch does
 * not hold the queue (a second kill switch joins it). One left `running` by a dead engine is
 * resumed at the next start.
 */
export const DETACHED_COMMANDS: ReadonlySet<CommandType> = new Set(['kill_switch']);
