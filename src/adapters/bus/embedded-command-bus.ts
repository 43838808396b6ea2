/**
 * The embedded command bus: a queue in the ledger database (table `bus_entries`, migration 0004)
 * for the all-in-one start, where no Redis runs. Same guarantees as the Redis adapter:
 *
 * - publish inserts a row and wakes this process's consumers at once (an EventEmitter shared by
 *   every bus on the same database handle); consumers also poll every `pollMs`, so entries
 *   published by another process are seen too;
 * - a consumer claims the oldest ready entry with a compare-and-set that sets a visibility
 *   timeout (`claimIdleMs`) and counts the delivery; an entry claimed by a consumer that died is
 *   ready again once the timeout passes, and is delivered again;
 * - the handler resolving acknowledges the entry; rejecting leaves it claimed until the timeout
 *   (a natural back-off); an entry that would be delivered more than `maxDeliveries` times is
 *   marked dead instead (the dead letters) and never delivered again;
 * - acknowledged entries are pruned after `retainAckedMs`; dead ones are kept for inspection;
 * - the visibility timeout is compared across processes, so it is read from the store's clock
 *   (store-clock.ts: the server's on Postgres, this host's on SQLite), never a host's own clock.
 *
 * The bus does not own the database handle: `close` stops consumers, the caller destroys `db`.
 */
import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import type {
  CommandBus,
  CommandEnvelope,
  Consumer,
  Delivery,
  DeliveryHandler,
} from '../../ports/command-bus.js';
import { type Database, dialectOf } from '../storage/database.js';
import { timeKey } from '../storage/row-values.js';
import { storeNowMs } from '../storage/store-clock.js';

export interface EmbeddedCommandBusOptions {
  db: Kysely<Database>;
  maxDeliveries?: number;
  claimIdleMs?: number;
  pollMs?: number;
  retainAckedMs?: number;
  /**
   * Milliseconds since the epoch (injectable for tests). Default: the store's clock, the
   * database server's on Postgres (one round trip per claim), Date.now() on SQLite.
   */
  now?: () => number;
  onError?: (error: unknown) => void;
}

type Settings = Required<Omit<EmbeddedCommandBusOptions, 'onError' | 'now'>> &
  Pick<EmbeddedCommandBusOptions, 'onError'> & {
    /** The clock every claim, acknowledgement and prune reads. */
    clock: () => Promise<number>;
  };

function clockFor(db: Kysely<Database>, now: (() => number) | undefined): () => Promise<number> {
  if (now !== undefined) return async () => now();
  if (dialectOf(db) === 'postgres') return () => storeNowMs(db);
  return async () => Date.now();
}

/** One wake-up channel per database handle, so two buses on one handle wake each other. */
const channels = new WeakMap<Kysely<Database>, EventEmitter>();

function channelFor(db: Kysely<Database>): EventEmitter {
  let channel = channels.get(db);
  if (!channel) {
    channel = new EventEmitter();
    channel.setMaxListeners(0);
    channels.set(db, channel);
  }
  return channel;
}

const keyAt = (ms: number): string => timeKey(new Date(ms).toISOString());

export class EmbeddedCommandBus implements CommandBus {
  readonly #s: Settings;
  readonly #channel: EventEmitter;
  readonly #consumers = new Set<EmbeddedConsumer>();
  #closed = false;

  constructor(options: EmbeddedCommandBusOptions) {
    const { now, ...rest } = options;
    this.#s = {
      maxDeliveries: 5,
      claimIdleMs: 30_000,
      pollMs: 500,
      retainAckedMs: 3_600_000,
      ...rest,
      clock: clockFor(options.db, now),
    };
    this.#channel = channelFor(options.db);
  }

  async publish(envelope: CommandEnvelope): Promise<void> {
    if (this.#closed) throw new Error('the embedded command bus is closed');
    await this.#s.db
      .insertInto('bus_entries')
      .values({
        profile_id: envelope.profileId,
        command_id: envelope.commandId,
        type: envelope.type,
        enqueued_at: envelope.enqueuedAt,
        state: 'pending',
        delivery_count: 0,
        claimed_by: null,
        claimed_until_key: null,
        finished_at: null,
      })
      .execute();
    this.#channel.emit(envelope.profileId);
  }

  consume(profileId: string, consumerName: string, handler: DeliveryHandler): Consumer {
    const consumer = new EmbeddedConsumer(this.#s, this.#channel, profileId, consumerName, handler);
    this.#consumers.add(consumer);
    consumer.start(() => this.#consumers.delete(consumer));
    return consumer;
  }

  async healthy(): Promise<boolean> {
    if (this.#closed) return false;
    try {
      await this.#s.db.selectFrom('bus_entries').select('seq').limit(1).execute();
      return true;
    } catch {
      return false;
    }
  }

  /** Envelopes given up on after `maxDeliveries`, oldest first. */
  async deadLetters(profileId: string): Promise<CommandEnvelope[]> {
    const rows = await this.#s.db
      .selectFrom('bus_entries')
      .select(['command_id', 'profile_id', 'type', 'enqueued_at'])
      .where('profile_id', '=', profileId)
      .where('state', '=', 'dead')
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({
      commandId: r.command_id,
      profileId: r.profile_id,
      type: r.type,
      enqueuedAt: r.enqueued_at,
    }));
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#consumers].map((c) => c.stop()));
  }
}

interface Claimed {
  seq: number;
  delivery: Delivery;
}

class EmbeddedConsumer implements Consumer {
  #stopped = false;
  #inHandler = false;
  #loop: Promise<void> = Promise.resolve();
  #wake: (() => void) | null = null;
  #lastPrune = 0;
  /** Set by a publish that arrives while the consumer is busy, so the next sleep is skipped. */
  #published = false;
  readonly #onPublish = () => {
    if (this.#wake) this.#wake();
    else this.#published = true;
  };

  constructor(
    private readonly s: Settings,
    private readonly channel: EventEmitter,
    private readonly profileId: string,
    private readonly name: string,
    private readonly handler: DeliveryHandler,
  ) {}

  start(onEnd: () => void): void {
    this.channel.on(this.profileId, this.#onPublish);
    this.#loop = this.#run().finally(() => {
      this.channel.off(this.profileId, this.#onPublish);
      onEnd();
    });
  }

  /** Stops claiming; an in-flight handler is not awaited and its entry is never acknowledged here. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    if (!this.#inHandler) await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        await this.#drain();
        await this.#prune();
      } catch (error) {
        if (this.#stopped) return;
        this.s.onError?.(error);
      }
      await this.#sleep();
    }
  }

  /** Waits for a publish in this process or the poll interval, whichever comes first. */
  #sleep(): Promise<void> {
    if (this.#stopped || this.#published) {
      this.#published = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        this.#published = false;
        resolve();
      };
      const timer = setTimeout(done, this.s.pollMs);
      this.#wake = done;
    });
  }

  async #drain(): Promise<void> {
    for (;;) {
      if (this.#stopped) return;
      const claimed = await this.#claimNext();
      if (claimed === null) return;
      await this.#deliver(claimed);
    }
  }

  /** Claims the oldest ready entry (compare-and-set); null when none is ready. */
  async #claimNext(): Promise<Claimed | null> {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const now = await this.s.clock();
      const nowKey = keyAt(now);
      const row = await this.s.db
        .selectFrom('bus_entries')
        .selectAll()
        .where('profile_id', '=', this.profileId)
        .where('state', '=', 'pending')
        .where((eb) => eb.or([eb('claimed_until_key', 'is', null), eb('claimed_until_key', '<=', nowKey)]))
        .orderBy('seq')
        .limit(1)
        .executeTakeFirst();
      if (!row) return null;
      const count = Number(row.delivery_count) + 1;
      const taken = await this.s.db
        .updateTable('bus_entries')
        .set({
          delivery_count: count,
          claimed_by: this.name,
          claimed_until_key: keyAt(now + this.s.claimIdleMs),
          ...(count > this.s.maxDeliveries
            ? { state: 'dead', finished_at: new Date(now).toISOString() }
            : {}),
        })
        .where('seq', '=', row.seq)
        .where('state', '=', 'pending')
        .where('delivery_count', '=', row.delivery_count)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) continue; // another consumer won: look again
      if (count > this.s.maxDeliveries) continue; // moved to the dead letters
      const envelope: CommandEnvelope = {
        commandId: row.command_id,
        profileId: row.profile_id,
        type: row.type,
        enqueuedAt: row.enqueued_at,
      };
      return { seq: Number(row.seq), delivery: { envelope, deliveryCount: count } };
    }
    return null;
  }

  async #deliver({ seq, delivery }: Claimed): Promise<void> {
    this.#inHandler = true;
    try {
      await this.handler(delivery);
    } catch (error) {
      this.s.onError?.(error);
      return; // left claimed: delivered again once claimIdleMs has passed
    } finally {
      this.#inHandler = false;
    }
    if (this.#stopped) return; // a stopped consumer never acknowledges: it may have died mid-command
    const finishedAt = new Date(await this.s.clock()).toISOString();
    await this.s.db
      .updateTable('bus_entries')
      .set({ state: 'acked', finished_at: finishedAt, claimed_until_key: null })
      .where('seq', '=', seq)
      .where('state', '=', 'pending')
      .execute();
  }

  /** Deletes acknowledged entries older than retainAckedMs, at most once a minute. */
  async #prune(): Promise<void> {
    const now = await this.s.clock();
    if (now - this.#lastPrune < 60_000) return;
    this.#lastPrune = now;
    await this.s.db
      .deleteFrom('bus_entries')
      .where('profile_id', '=', this.profileId)
      .where('state', '=', 'acked')
      .where('finished_at', '<', new Date(now - this.s.retainAckedMs).toISOString())
      .execute();
  }
}
