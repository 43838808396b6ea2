/**
 * The change channel over Redis pub/sub (when REDIS_URL is set): one channel per profile,
 * `<prefix>:<profileId>`. Two connections, each opened on first use: a publisher (`announce`
 * PUBLISHes there; the changes of one turn of the event loop in one pipeline) and a dedicated
 * subscriber (a connection in subscribe mode can do nothing else). Both reconnect by themselves (ioredis's retry, growing to 2 s); changes announced while the
 * publisher is down are held (coalesced by profile and kind) and published once it is ready; each
 * time the subscriber is ready again it subscribes every channel anew and tells that profile's
 * listeners to `resync`, since pub/sub keeps nothing for a subscriber that was away.
 */
import { Redis } from 'ioredis';
import { type BackoffPolicy, backoffDelay } from '../../core/backoff.js';
import type { Change, ChangeListener, ChangeNotifier } from '../../ports/change-notifier.js';
import { decodeChange, encodeChange } from './change-codec.js';
import { type ErrorSink, ListenerSet, PendingChanges } from './change-fanout.js';

/** ioredis's reconnect delays (`times` counts from 1): 100 ms doubling to 2 s, no jitter. */
const RECONNECT: BackoffPolicy = { baseMs: 50, capMs: 2_000, jitter: 'none' };

export interface RedisChangeNotifierOptions {
  url: string;
  /** Channel names are `<prefix>:<profileId>`. */
  prefix: string;
  /** Shown by CLIENT LIST for the subscriber connection (default `centaur-changes`). */
  connectionName?: string;
  onError?: ErrorSink;
}

export class RedisChangeNotifier implements ChangeNotifier {
  readonly channel = 'redis' as const;
  readonly #o: RedisChangeNotifierOptions;
  readonly #onError: ErrorSink;
  readonly #listeners: ListenerSet;
  readonly #pending = new PendingChanges();
  /** Changes announced this turn, published together (one pipeline) at its end. */
  #outbox: Change[] = [];
  #publisher: Redis | null = null;
  #subscriber: Redis | null = null;
  readonly #subscribed = new Set<string>();
  #closed = false;

  constructor(options: RedisChangeNotifierOptions) {
    this.#o = options;
    this.#onError = options.onError ?? (() => {});
    this.#listeners = new ListenerSet(this.#onError);
  }

  channelOf(profileId: string): string {
    return `${this.#o.prefix}:${profileId}`;
  }

  /** True while the subscriber connection is ready (subscriptions current). */
  get listening(): boolean {
    return this.#subscriber?.status === 'ready';
  }

  announce(change: Change): void {
    if (this.#closed) return;
    this.#outbox.push(change);
    if (this.#outbox.length === 1) queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    const changes = this.#outbox;
    this.#outbox = [];
    if (this.#closed) return;
    const publisher = this.#publisher ?? this.#openPublisher();
    // Anything held from a failed publish goes first.
    if (publisher.status === 'ready') this.#publish(publisher, [...this.#pending.take(), ...changes]);
    else for (const change of changes) this.#pending.add(change);
  }

  subscribe(profileId: string, listener: ChangeListener): () => void {
    const remove = this.#listeners.add(profileId, listener);
    const subscriber = this.#subscriber ?? this.#openSubscriber();
    if (subscriber.status === 'ready' && !this.#subscribed.has(profileId))
      void this.#subscribeProfile(subscriber, profileId);
    return () => {
      remove();
      if (this.#listeners.profiles().includes(profileId) || !this.#subscribed.delete(profileId)) return;
      if (subscriber.status === 'ready')
        subscriber.unsubscribe(this.channelOf(profileId)).catch((error: unknown) => this.#onError(error));
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const connection of [this.#publisher, this.#subscriber]) connection?.disconnect();
    this.#publisher = null;
    this.#subscriber = null;
  }

  #connection(role: string): Redis {
    const connection = new Redis(this.#o.url, {
      connectionName: `${this.#o.connectionName ?? 'centaur-changes'}-${role}`,
      // Nothing waits in ioredis's queue: unpublished changes are held (coalesced) here instead.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      autoResubscribe: false,
      connectTimeout: 2_000,
      retryStrategy: (times) => backoffDelay({ ...RECONNECT, attempt: times }),
    });
    connection.on('error', (error: unknown) => this.#onError(error));
    return connection;
  }

  #openPublisher(): Redis {
    const publisher = this.#connection('pub');
    this.#publisher = publisher;
    publisher.on('ready', () => {
      const held = this.#pending.take();
      if (held.length > 0) this.#publish(publisher, held);
    });
    return publisher;
  }

  #publish(publisher: Redis, changes: readonly Change[]): void {
    const pipeline = publisher.pipeline();
    for (const change of changes) pipeline.publish(this.channelOf(change.profileId), encodeChange(change));
    pipeline.exec().then(
      (results) => {
        // Each reply is [error, receivers]: one that failed is published again once ready.
        results?.forEach(([error], i) => {
          const change = changes[i];
          if (error !== null && change !== undefined && !this.#closed) this.#pending.add(change);
        });
      },
      () => {
        // Not delivered (the connection dropped): published again once it is ready.
        if (!this.#closed) for (const change of changes) this.#pending.add(change);
      },
    );
  }

  #openSubscriber(): Redis {
    const subscriber = this.#connection('sub');
    this.#subscriber = subscriber;
    subscriber.on('message', (_channel: string, message: string) => {
      const change = decodeChange(message);
      if (change !== null) this.#listeners.deliver(change);
    });
    subscriber.on('ready', () => {
      // A fresh connection subscribes to nothing: subscribe again, then re-read (changes were missed).
      this.#subscribed.clear();
      for (const profileId of this.#listeners.profiles()) void this.#subscribeProfile(subscriber, profileId);
    });
    return subscriber;
  }

  async #subscribeProfile(subscriber: Redis, profileId: string): Promise<void> {
    this.#subscribed.add(profileId);
    try {
      await subscriber.subscribe(this.channelOf(profileId));
      this.#listeners.resync(profileId);
    } catch (error) {
      this.#subscribed.delete(profileId);
      this.#onError(error);
    }
  }
}
