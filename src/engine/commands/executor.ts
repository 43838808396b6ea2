/**
 * The command consumer's exactly-once discipline. For each delivery: load the command; a terminal
 * one is acknowledged without effect; an order command past its expiry is finished `expired`
 * without effect; otherwise claim it (compare-and-set), run its handler, finish it (compare-and-
 * set, with its audit event in the same transaction) and only then acknowledge (resolve). If the
 * outcome cannot be stored the delivery is rejected and comes back; the handler then finds the
 * order by its client order id instead of placing it again.
 */
import type { Command, CommandOutcome } from '../../core/command.js';
import { isTerminalCommandStatus } from '../../core/command.js';
import { compareTimestamps } from '../../core/time.js';
import type { Delivery } from '../../ports/command-bus.js';
import type { CommandContext } from './command-context.js';
import { type CommandRegistry, DETACHED_COMMANDS, ORDER_COMMANDS } from './registry.js';

/** An outcome with this error code is not stored: the engine stopped, the command stays running. */
export const NOT_FINISHED = 'engine_stopping';

export class CommandExecutor {
  constructor(
    private readonly ctx: CommandContext,
    private readonly registry: CommandRegistry,
  ) {}

  /** Handles one delivery; resolving acknowledges it. */
  async handle(delivery: Delivery): Promise<void> {
    const { store, profileId, clock, log } = this.ctx;
    const id = delivery.envelope.commandId;
    const command = await store.commands.get(profileId, id);
    if (!command) {
      log.warn({ commandId: id }, 'delivery for an unknown command acknowledged without effect');
      return;
    }
    if (isTerminalCommandStatus(command.status)) return;
    const now = clock.timestamp();
    if (
      ORDER_COMMANDS.has(command.type) &&
      command.expiresAt &&
      compareTimestamps(now, command.expiresAt) > 0
    ) {
      await this.#finish(command, {
        status: 'expired',
        error: { code: 'expired', message: 'expired before it ran' },
      });
      return;
    }
    const claimed = await store.commands.claim(profileId, id, now);
    if (!claimed) return;
    if (DETACHED_COMMANDS.has(claimed.type)) {
      this.detached = this.#run(claimed)
        .then((outcome) =>
          'error' in outcome && outcome.error.code === NOT_FINISHED
            ? undefined
            : this.#finish(claimed, outcome),
        )
        .catch((error) => log.error({ err: error, commandId: id }, 'detached command not finished'));
      return;
    }
    await this.#finish(claimed, await this.#run(claimed));
  }

  /** The last detached command's run (tests and shutdown wait on it). */
  detached: Promise<void> = Promise.resolve();

  async #run(command: Command): Promise<CommandOutcome> {
    const handler = this.registry[command.type];
    if (!handler) {
      return {
        status: 'failed',
        error: { code: 'unsupported_command', message: `no handler for ${command.type}` },
      };
    }
    try {
      return await handler(this.ctx, command);
    } catch (error) {
      this.ctx.log.error({ err: error, commandId: command.id }, 'command handler failed');
      const message = error instanceof Error ? error.message : String(error);
      return { status: 'failed', error: { code: 'internal_error', message } };
    }
  }

  async #finish(command: Command, outcome: CommandOutcome): Promise<void> {
    const { store, profileId, clock, log } = this.ctx;
    const at = clock.timestamp();
    const finished = await store.transaction(async (tx) => {
      const done = await tx.commands.finish(profileId, command.id, outcome, at);
      if (!done) return null;
      await tx.audit.append({
        profileId,
        at,
        actor: 'engine',
        action: `command.${outcome.status}`,
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
    log.info(
      { commandId: command.id, type: command.type, status: finished?.status ?? 'already_terminal' },
      'command finished',
    );
  }
}
