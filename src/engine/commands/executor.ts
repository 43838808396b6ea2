/**
 * The command consumer's exactly-once discipline. For each delivery: load the command; a terminal
 * one is acknowledged without effect; one this engine is already running (the bus and the
 * database sweep may both hand it over) is joined, never run twice; otherwise claim it (compare-
 * and-set, under the lease fence), run its handler, finish it (compare-and-set under the fence,
 * with its audit event in the same transaction) and only then acknowledge (resolve).
 *
 * Not finished, and so not acknowledged (the delivery comes back, or the next lease holder
 * resumes the command): a lost lease (LeaseLostError, StaleFenceError: another engine owns the
 * profile now), an earlier attempt's outcome that could not be learnt (OutcomeUnknownError), an
 * outcome that cannot be stored. A redelivered order command then finds the order by its client
 * order id instead of placing it again. Expiry is the order handler's to decide, after that lookup
 * (submit-order.ts), so an order the broker accepted is never recorded expired.
 */
import { COMMAND_OUTCOME_ACTIONS } from '../../contract/audit-actions.js';
import type { Command, CommandOutcome } from '../../core/command.js';
import { isTerminalCommandStatus } from '../../core/command.js';
import type { Delivery } from '../../ports/command-bus.js';
import { type CommandContext, failed } from './command-context.js';
import { type CommandRegistry, DETACHED_COMMANDS } from './registry.js';

/** An outcome with this error code is not stored: the engine stopped, the command stays running. */
export const NOT_FINISHED = 'engine_stopping';

export class CommandExecutor {
  /** Commands this engine is running now, by id (a second delivery joins the first). */
  readonly #running = new Map<string, Promise<void>>();
  /**
   * Commands this engine claimed and has not finished yet (a former lease holder's are not here):
   * the database sweep leaves these alone.
   */
  readonly #claimed = new Set<string>();

  constructor(
    private readonly ctx: CommandContext,
    private readonly registry: CommandRegistry,
  ) {}

  /** Whether this engine claimed the command and is still running it. */
  claimedHere(id: string): boolean {
    return this.#claimed.has(id);
  }

  /** Handles one delivery; resolving acknowledges it. */
  async handle(delivery: Delivery): Promise<void> {
    const id = delivery.envelope.commandId;
    const current = this.#running.get(id);
    if (current) return current;
    const work = this.#handle(id).finally(() => this.#running.delete(id));
    this.#running.set(id, work);
    return work;
  }

  async #handle(id: string): Promise<void> {
    const { store, profileId, clock, log } = this.ctx;
    const command = await store.commands.get(profileId, id);
    if (!command) {
      log.warn({ commandId: id }, 'delivery for an unknown command acknowledged without effect');
      return;
    }
    if (isTerminalCommandStatus(command.status)) return;
    const claimed = await store.commands.claim(profileId, id, clock.timestamp(), this.ctx.fence?.());
    if (!claimed) return;
    this.ctx.announce?.('commands', [id]);
    this.#claimed.add(id);
    if (DETACHED_COMMANDS.has(claimed.type)) {
      // The handler's synchronous part runs now (the kill switch closes the submission gate
      // before this delivery is acknowledged); the rest finishes in the background.
      this.detached = this.#run(claimed)
        .then((outcome) =>
          'error' in outcome && outcome.error.code === NOT_FINISHED
            ? undefined
            : this.#finish(claimed, outcome).then(() => {
                this.#claimed.delete(id);
              }),
        )
        .catch((error) => {
          this.#claimed.delete(id); // not finished: the database sweep hands it over again
          log.error({ err: error, commandId: id }, 'detached command not finished');
        });
      return;
    }
    try {
      await this.#finish(claimed, await this.#run(claimed));
    } finally {
      // Finished (terminal) or not (the sweep, or a redelivery, hands it over again).
      this.#claimed.delete(id);
    }
  }

  /** Resolves once every command this executor is handling now has settled (finished or not). */
  inFlight(): Promise<void> {
    return Promise.allSettled([...this.#running.values(), this.detached]).then(() => undefined);
  }

  /** The last detached command's run (tests and shutdown wait on it). */
  detached: Promise<void> = Promise.resolve();

  async #run(command: Command): Promise<CommandOutcome> {
    const handler = this.registry[command.type];
    if (!handler) {
      return failed('unsupported_command', `no handler for ${command.type}`);
    }
    try {
      return await handler(this.ctx, command);
    } catch (error) {
      if (isNotAnOutcome(error)) throw error;
      this.ctx.log.error({ err: error, commandId: command.id }, 'command handler failed');
      const message = error instanceof Error ? error.message : String(error);
      return failed('internal_error', message);
    }
  }

  async #finish(command: Command, outcome: CommandOutcome): Promise<void> {
    const { store, profileId, clock, log } = this.ctx;
    const at = clock.timestamp();
    const fence = this.ctx.fence?.();
    const finished = await store.transaction(async (tx) => {
      const done = await tx.commands.finish(profileId, command.id, outcome, at, fence);
      if (!done) return null;
      await tx.audit.append({
        profileId,
        at,
        actor: 'engine',
        action: COMMAND_OUTCOME_ACTIONS[outcome.status],
        reason: outcome.status === 'succeeded' ? null : outcome.error.message,
        subjectType: 'command',
        subjectId: command.id,
        correlationId: command.correlationId,
        data: {
          type: command.type,
          ...(outcome.status === 'succeeded' ? {} : { code: outcome.error.code }),
          result: outcome.result ?? null,
        },
      });
      return done;
    });
    if (finished) this.ctx.announce?.('commands', [command.id]);
    log.info(
      { commandId: command.id, type: command.type, status: finished?.status ?? 'already_terminal' },
      'command finished',
    );
  }
}

/** Errors that mean "leave the command to whoever can finish it", never a recorded failure. */
const NOT_AN_OUTCOME = new Set(['LeaseLostError', 'StaleFenceError', 'OutcomeUnknownError']);

export function isNotAnOutcome(error: unknown): boolean {
  return error instanceof Error && NOT_AN_OUTCOME.has(error.name);
}
