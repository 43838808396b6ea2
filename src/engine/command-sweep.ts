/**
 * The bus is never the only copy of a command. Every command is stored in the database before it
 * is published; this sweep reads the database for work the bus may have lost (Redis restarted
 * empty, a publish that failed after the commit, an entry claimed by an engine that died or lost
 * its lease) and runs it through the same executor as a bus delivery:
 *
 * - `queued` commands, oldest first, once they are older than `graceMs` by the store's clock (the
 *   bus normally delivers within milliseconds; the grace only saves useless work). An order
 *   command past its expiry is finished `expired` by its handler, after asking the broker what an
 *   earlier attempt placed, so nothing committed stays queued forever.
 * - `running` commands this engine did not claim in its current life: a former lease holder's,
 *   resumed (an order command looks its order up by client order id first; a kill switch resumes).
 *
 * At startup, kill switches are swept first, before the stream is awaited and before any other
 * command runs. Running a command twice is harmless: the executor joins a delivery already running
 * and the claim is a compare-and-set, so the bus and the sweep can hand over the same command.
 */
import type { Command, CommandType } from '../core/command.js';
import { timestampMs } from '../core/time.js';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../ports/clock.js';
import type { Delivery } from '../ports/command-bus.js';
import type { Store } from '../ports/store.js';

export interface CommandSweepDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  profileId: string;
  intervalMs: number;
  graceMs: number;
  /** The executor's entry point (the same as a bus delivery). */
  handle: (delivery: Delivery) => Promise<void>;
  /** Commands claimed by this engine since it took the lease (not a former holder's). */
  claimedHere: (id: string) => boolean;
}

export function deliveryOf(command: Command): Delivery {
  return {
    envelope: {
      commandId: command.id,
      profileId: command.profileId,
      type: command.type,
      enqueuedAt: command.createdAt,
    },
    deliveryCount: 1,
  };
}

const BATCH = 100;

export class CommandSweep {
  #timer: { cancel(): void } | null = null;
  #stopped = false;
  #sweeping: Promise<number> | null = null;

  constructor(private readonly d: CommandSweepDeps) {}

  /** Sweeps every `intervalMs` until stopped. */
  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.d.clock.setTimeout(() => {
      void this.sweep()
        .catch((error) => this.d.log.warn({ err: error }, 'command sweep failed; retrying'))
        .finally(() => this.#schedule());
    }, this.d.intervalMs);
  }

  /** One sweep (joins one in progress); resolves with the number of commands handed over. */
  sweep(only?: ReadonlySet<CommandType>): Promise<number> {
    this.#sweeping ??= this.#sweep(only).finally(() => {
      this.#sweeping = null;
    });
    return this.#sweeping;
  }

  async #sweep(only?: ReadonlySet<CommandType>): Promise<number> {
    const { store, profileId } = this.d;
    const [now, queued, running] = await Promise.all([
      store.now(),
      store.commands.list(profileId, { status: 'queued', order: 'oldest', limit: BATCH }),
      store.commands.list(profileId, { status: 'running', order: 'oldest', limit: BATCH }),
    ]);
    const nowMs = timestampMs(now);
    const due = [
      ...queued.filter((c) => nowMs - timestampMs(c.createdAt) >= this.d.graceMs),
      ...running.filter((c) => !this.d.claimedHere(c.id)),
    ]
      .filter((c) => only === undefined || only.has(c.type))
      .sort((a, b) => timestampMs(a.createdAt) - timestampMs(b.createdAt));
    for (const command of due) {
      if (this.#stopped) break;
      this.d.log.warn(
        { commandId: command.id, type: command.type, status: command.status },
        command.status === 'queued'
          ? 'running a queued command the bus did not deliver'
          : 'resuming a command a former lease holder left running',
      );
      await this.d.handle(deliveryOf(command));
    }
    return due.length;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    await this.#sweeping?.catch(() => {});
  }
}
