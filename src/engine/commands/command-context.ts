/**
 * What a command handler gets, and what it returns: the command (already claimed), the broker,
 * the store, the enforced trading state, whether the ledger may stand in for the broker's
 * positions and open orders (the trade stream is healthy), and a way to audit. A handler returns
 * the command's outcome as a value; it throws only for a broken invariant (the executor records
 * that as failed).
 */
import type { BrokerFailureCode, CommandErrorCode } from '../../contract/commands.js';
import type { Command, CommandOutcome } from '../../core/command.js';
import type { DenialCode } from '../../core/risk/denial-codes.js';
import type { TradingState } from '../../core/trading-state.js';
import type { Logger } from '../../logging/logger.js';
import type { Broker, BrokerErrorCode } from '../../ports/broker.js';
import type { Clock } from '../../ports/clock.js';
import type { Notifier } from '../../ports/notifier.js';
import type { Fence, Store } from '../../ports/store.js';
import type { Announce } from '../change-announcer.js';
import type { SafetyContext } from '../safety/safety-context.js';

export interface CommandContext {
  profileId: string;
  environment: 'paper' | 'live';
  store: Store;
  broker: Broker;
  clock: Clock;
  log: Logger;
  notifier: Notifier | null;
  /** The trading state the engine enforces now (REDUCING while the stream is down). */
  tradingState: () => TradingState;
  /**
   * True while the engine's trade stream is healthy (listening, its gap back-filled): every trade
   * event then writes the order's status and the position quantity to the ledger within ms, so
   * the pre-submit check reads positions and open orders there instead of REST. Absent or false:
   * it reads them from the broker.
   */
  ledgerTrusted?: () => boolean;
  /**
   * Resolves true once every trade event the engine has received is stored (false if that takes
   * too long): read before the ledger, so a fill already received is never missed. Absent: true.
   */
  ledgerCaughtUp?: () => Promise<boolean>;
  /** Risk limits, trading-state control, kill switch, audit and notify (execution safety). */
  safety?: SafetyContext;
  /**
   * The lease fence command state changes are made under (claim, finish); throws when the lease
   * is lost. Absent only in tests without a lease.
   */
  fence?: () => Fence;
  /** Announces committed changes (command states, orders) on the change channel. */
  announce?: Announce;
}

export type CommandHandler = (ctx: CommandContext, command: Command) => Promise<CommandOutcome>;

/** A rejection's code: the engine's own, a risk denial code (several: their list), or the broker's. */
export type RejectionCode = CommandErrorCode | DenialCode | BrokerErrorCode | readonly string[];

export function failed(
  code: CommandErrorCode | BrokerFailureCode,
  message: string,
  result?: Record<string, unknown>,
): CommandOutcome {
  return { status: 'failed', error: { code, message }, ...(result ? { result } : {}) };
}

export function rejected(
  code: RejectionCode,
  message: string,
  result?: Record<string, unknown>,
): CommandOutcome {
  const text = typeof code === 'string' ? code : code.join(',');
  return { status: 'rejected', error: { code: text, message }, ...(result ? { result } : {}) };
}

export function expired(message: string): CommandOutcome {
  const code: CommandErrorCode = 'expired';
  return { status: 'expired', error: { code, message } };
}
