/**
 * Commands: confirmed work for the engine, carried by the bus and recorded in the database.
 * Lifecycle: queued -> running -> succeeded | failed | rejected | expired. Delivery is
 * at-least-once; the engine makes the effect exactly-once by deduplicating on the command id and
 * by never leaving a terminal status.
 */
import type { Timestamp } from './time.js';

export const COMMAND_TYPES = ['submit_order', 'cancel_order', 'kill_switch', 'resume'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

export const COMMAND_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'rejected', 'expired'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

export const TERMINAL_COMMAND_STATUSES: ReadonlySet<CommandStatus> = new Set([
  'succeeded',
  'failed',
  'rejected',
  'expired',
]);

export interface CommandError {
  code: string;
  message: string;
}

export interface Command {
  id: string;
  profileId: string;
  type: CommandType;
  payload: Readonly<Record<string, unknown>>;
  actor: string;
  idempotencyKey: string | null;
  /** Ties the command to the request that created it and everything it causes. */
  correlationId: string;
  status: CommandStatus;
  result: Readonly<Record<string, unknown>> | null;
  error: CommandError | null;
  attempts: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
  /** After this time a queued command is expired instead of run; null never expires. */
  expiresAt: Timestamp | null;
}

const ALLOWED: Record<CommandStatus, readonly CommandStatus[]> = {
  queued: ['running', 'rejected', 'expired'],
  // running -> running is a redelivery to a new consumer after the first one died.
  running: ['running', 'succeeded', 'failed', 'rejected', 'expired'],
  succeeded: [],
  failed: [],
  rejected: [],
  expired: [],
};

export function isTerminalCommandStatus(status: CommandStatus): boolean {
  return TERMINAL_COMMAND_STATUSES.has(status);
}

export function canTransitionCommand(from: CommandStatus, to: CommandStatus): boolean {
  return ALLOWED[from].includes(to);
}

export type CommandOutcome =
  | { status: 'succeeded'; result: Record<string, unknown> }
  | { status: 'failed' | 'rejected' | 'expired'; error: CommandError; result?: Record<string, unknown> };

/** Moves a command to its next status; throws on a transition the lifecycle does not allow. */
export function transitionCommand(
  command: Command,
  next: { status: 'running' } | CommandOutcome,
  at: Timestamp,
): Command {
  if (!canTransitionCommand(command.status, next.status)) {
    throw new Error(`command ${command.id}: ${command.status} -> ${next.status} is not allowed`);
  }
  if (next.status === 'running') {
    return { ...command, status: 'running', attempts: command.attempts + 1, startedAt: at, updatedAt: at };
  }
  return {
    ...command,
    status: next.status,
    result: next.result ?? command.result,
    error: next.status === 'succeeded' ? null : next.error,
    updatedAt: at,
    finishedAt: at,
  };
}
