/**
 * The command bus on Redis Streams: one stream per profile, one consumer group, entries
 * acknowledged only after the handler resolves (which the engine does once the command's
 * terminal state is stored). Entries left pending by a dead consumer are reclaimed after
 * `claimIdleMs`; an entry delivered more than `maxDeliveries` times goes to a dead-letter stream
 * instead of looping forever. The stream is capped (approximately) at `maxLength` entries.
 *
 * Redis may lose its data (a restart without persistence): a consumer that gets NOGROUP
 * recreates the stream and its group (MKSTREAM, from id 0, so entries published since the
 * restart are delivered too) instead of looping on the error; `healthy()` is false while Redis is
 * unreachable or a consumer's latest attempt failed. The bus is never the only copy of a
 * command: the engine re-reads queued commands from the database.
 */
import { Redis } from 'ioredis';
import { Backoff, type BackoffPolicy } from '../../core/backoff.js';
import type {
  CommandBus,
  CommandEnvelope,
  Consumer,
  Delivery,
  DeliveryHandler,
} from '../../ports/command-bus.js';

export interface RedisCommandBusOptions {
  url: string;
  /** Stream names are `<queueName>:<profileId>`; dead letters `<queueName>:<profileId>:dead`. */
  queueName: string;
  group?: string;
  maxLength?: number;
  maxDeliveries?: number;
  claimIdleMs?: number;
  blockMs?: number;
  onError?: (error: unknown) => void;
}

type StreamEntry = [id: string, fields: string[]];

const FIELDS = ['commandId', 'profileId', 'type', 'enqueuedAt'] as const;
/** A consumer whose read failed pauses 250 ms before the next try (base = cap: a fixed pause). */
const READ_RETRY: BackoffPolicy = { baseMs: 250, capMs: 250, jitter: 'none' };

function toFields(envelope: CommandEnvelope): string[] {
  return FIELDS.flatMap((f) => [f, envelope[f]]);
}

function fromFields(fields: string[]): CommandEnvelope | null {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  const envelope = Object.fromEntries(FIELDS.map((f) => [f, map.get(f)]));
  return FIELDS.every((f) => typeof envelope[f] === 'string')
    ? (envelope as unknown as CommandEnvelope)
    : null;
}

export class RedisCommandBus implements CommandBus {
  readonly #redis: Redis;
  readonly #opts: Required<Omit<RedisCommandBusOptions, 'onError'>> & Pick<RedisCommandBusOptions, 'onError'>;
  readonly #consumers = new Set<RedisConsumer>();

  constructor(options: RedisCommandBusOptions) {
    this.#opts = {
      group: 'engine',
      maxLength: 10_000,
      maxDeliveries: 5,
      claimIdleMs: 30_000,
      blockMs: 1_000,
      ...options,
    };
    this.#redis = new Redis(options.url, {
      maxRetriesPerRequest: 1,
      // Commands fail fast while disconnected; callers wait for `ready` first.
      enableOfflineQueue: false,
      connectTimeout: 2_000,
    });
    this.#redis.on('error', (error) => this.#opts.onError?.(error));
  }

  streamKey(profileId: string): string {
    return `${this.#opts.queueName}:${profileId}`;
  }

  deadLetterKey(profileId: string): string {
    return `${this.streamKey(profileId)}:dead`;
  }

  async publish(envelope: CommandEnvelope): Promise<void> {
    const key = this.streamKey(envelope.profileId);
    await ready(this.#redis, 2_000);
    await this.#redis.xadd(key, 'MAXLEN', '~', this.#opts.maxLength, '*', ...toFields(envelope));
  }

  consume(profileId: string, consumerName: string, handler: DeliveryHandler): Consumer {
    const consumer = new RedisConsumer(this.#redis.duplicate(), {
      stream: this.streamKey(profileId),
      deadLetter: this.deadLetterKey(profileId),
      group: this.#opts.group,
      name: consumerName,
      maxDeliveries: this.#opts.maxDeliveries,
      claimIdleMs: this.#opts.claimIdleMs,
      blockMs: this.#opts.blockMs,
      onError: this.#opts.onError,
      handler,
    });
    this.#consumers.add(consumer);
    consumer.start(() => this.#consumers.delete(consumer));
    return consumer;
  }

  async healthy(): Promise<boolean> {
    for (const consumer of this.#consumers) if (consumer.failing) return false;
    try {
      await ready(this.#redis, 1_000);
      return (await withTimeout(this.#redis.ping(), 1_000)) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#consumers].map((c) => c.stop()));
    this.#redis.disconnect();
  }
}

interface ConsumerSettings {
  stream: string;
  deadLetter: string;
  group: string;
  name: string;
  maxDeliveries: number;
  claimIdleMs: number;
  blockMs: number;
  onError: ((error: unknown) => void) | undefined;
  handler: DeliveryHandler;
}

class RedisConsumer implements Consumer {
  #stopped = false;
  #loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly s: ConsumerSettings,
  ) {
    this.redis.on('error', (error) => s.onError?.(error));
  }

  start(onEnd: () => void): void {
    this.#loop = this.#run().finally(onEnd);
  }

  #inHandler = false;

  /** Stops reading; an in-flight handler is not awaited and its entry is never acknowledged here. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.redis.disconnect();
    if (!this.#inHandler) await this.#loop;
  }

  /** True while the latest attempt to read (or handle) failed, until one succeeds again. */
  failing = false;
  readonly #retry = new Backoff(READ_RETRY);

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        await ready(this.redis, 2_000);
        await this.#ensureGroup();
        await this.#reclaim();
        await this.#readNew();
        this.failing = false;
        this.#retry.reset();
      } catch (error) {
        if (this.#stopped) return;
        this.failing = true;
        // Redis lost the stream or the group (restarted empty): create both again next time.
        if (isNoGroup(error)) this.#groupReady = false;
        this.s.onError?.(error);
        await new Promise((r) => setTimeout(r, this.#retry.next()));
      }
    }
  }

  #groupReady = false;

  /** Creates the stream (MKSTREAM) and the group from id 0 unless this consumer did already. */
  async #ensureGroup(): Promise<void> {
    if (this.#groupReady) return;
    try {
      await this.redis.xgroup('CREATE', this.s.stream, this.s.group, '0', 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) throw error;
    }
    this.#groupReady = true;
  }

  /** Takes over entries another consumer left pending longer than claimIdleMs. */
  async #reclaim(): Promise<void> {
    const reply = (await this.redis.xautoclaim(
      this.s.stream,
      this.s.group,
      this.s.name,
      this.s.claimIdleMs,
      '0-0',
      'COUNT',
      10,
    )) as [string, StreamEntry[] | null, string[]?];
    for (const entry of reply[1] ?? []) {
      if (this.#stopped) return;
      if (entry) await this.#deliver(entry);
    }
  }

  async #readNew(): Promise<void> {
    const reply = (await this.redis.xreadgroup(
      'GROUP',
      this.s.group,
      this.s.name,
      'COUNT',
      10,
      'BLOCK',
      this.s.blockMs,
      'STREAMS',
      this.s.stream,
      '>',
    )) as Array<[string, StreamEntry[]]> | null;
    for (const [, entries] of reply ?? []) {
      for (const entry of entries) {
        if (this.#stopped) return;
        await this.#deliver(entry);
      }
    }
  }

  async #deliveryCount(id: string): Promise<number> {
    const pending = (await this.redis.xpending(this.s.stream, this.s.group, id, id, 1)) as Array<
      [string, string, number, number]
    >;
    return Number(pending[0]?.[3] ?? 1);
  }

  async #deliver([id, fields]: StreamEntry): Promise<void> {
    const envelope = fromFields(fields);
    const count = await this.#deliveryCount(id);
    if (envelope === null || count > this.s.maxDeliveries) {
      await this.redis
        .multi()
        .xadd(this.s.deadLetter, '*', 'entryId', id, 'deliveries', String(count), ...fields)
        .xack(this.s.stream, this.s.group, id)
        .exec();
      return;
    }
    const delivery: Delivery = { envelope, deliveryCount: count };
    this.#inHandler = true;
    try {
      await this.s.handler(delivery);
    } catch (error) {
      this.s.onError?.(error);
      return; // left pending: redelivered after claimIdleMs
    } finally {
      this.#inHandler = false;
    }
    if (this.#stopped) return; // a stopped consumer never acknowledges: it may have died mid-command
    await this.redis.xack(this.s.stream, this.s.group, id);
  }
}

/** Redis's answer when the stream or its consumer group does not exist (any command). */
function isNoGroup(error: unknown): boolean {
  return /\bNOGROUP\b/.test(error instanceof Error ? error.message : String(error));
}

/** Waits until the connection is ready, so a dead Redis fails fast instead of queueing commands. */
async function ready(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return;
  await withTimeout(new Promise<void>((resolve) => redis.once('ready', () => resolve())), ms).catch(() => {
    throw new Error(`Redis is not reachable (connection ${redis.status})`);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
