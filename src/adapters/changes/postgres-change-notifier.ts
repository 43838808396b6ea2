/**
 * The change channel over Postgres LISTEN/NOTIFY (separate processes on Postgres, no Redis). One
 * dedicated connection per process, outside the store's pool, opened on first use: `announce`
 * sends `pg_notify(channel, payload)` on it (autocommit, after the caller's transaction has
 * committed: NOTIFY inside a transaction would only be delivered at its commit anyway, but the
 * store's transaction is not ours to extend); once a listener subscribes it also LISTENs there.
 * The changes announced in one turn of the event loop (one commit's order, fill and position) go
 * in one statement, so one transaction: each NOTIFY transaction costs a commit on the server.
 * NOTIFY is scoped to the database, so each database is its own channel.
 *
 * Reconnects by itself: when the connection fails or ends (server restart, terminated backend)
 * it is replaced after a growing delay (100 ms doubling to 5 s); changes announced meanwhile are
 * held (coalesced by profile and kind) and sent once it is back; every time the LISTEN is
 * (re)established, listeners get `resync`, since notifications sent while nobody listened are
 * gone.
 */
import pg from 'pg';
import { Backoff } from '../../core/backoff.js';
import type { Change, ChangeListener, ChangeNotifier } from '../../ports/change-notifier.js';
import { decodeChange, encodeChange } from './change-codec.js';
import { type ErrorSink, ListenerSet, PendingChanges } from './change-fanout.js';

export const DEFAULT_POSTGRES_CHANNEL = 'centaur_changes';

export interface PostgresChangeNotifierOptions {
  /** postgres://user@host:port/db, the ledger's database. */
  url: string;
  /** The LISTEN/NOTIFY channel: a lower-case identifier (default `centaur_changes`). */
  channel?: string;
  /** Shown in pg_stat_activity (default `centaur-changes`). */
  applicationName?: string;
  /** First and largest delay before a reconnect (default 100 ms and 5 s). */
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  onError?: ErrorSink;
}

export class PostgresChangeNotifier implements ChangeNotifier {
  readonly channel = 'postgres' as const;
  readonly #o: Required<Omit<PostgresChangeNotifierOptions, 'onError'>>;
  readonly #onError: ErrorSink;
  readonly #listeners: ListenerSet;
  readonly #pending = new PendingChanges();
  /** Changes announced this turn, sent together at its end. */
  #outbox: Change[] = [];
  #client: pg.Client | null = null;
  #ready = false;
  #listening: Promise<void> | null = null;
  /** Reconnect delays: the shared policy, no jitter (one listener per process). */
  readonly #reconnect: Backoff;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(options: PostgresChangeNotifierOptions) {
    this.#o = {
      channel: DEFAULT_POSTGRES_CHANNEL,
      applicationName: 'centaur-changes',
      reconnectBaseMs: 100,
      reconnectCapMs: 5_000,
      ...options,
    };
    this.#reconnect = new Backoff({
      baseMs: this.#o.reconnectBaseMs,
      capMs: this.#o.reconnectCapMs,
      jitter: 'none',
    });
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.#o.channel))
      throw new Error(`invalid LISTEN channel name "${this.#o.channel}"`);
    this.#onError = options.onError ?? (() => {});
    this.#listeners = new ListenerSet(this.#onError);
  }

  /** True while the connection is open (and listening, when anyone subscribed). */
  get connected(): boolean {
    return this.#ready;
  }

  announce(change: Change): void {
    if (this.#closed) return;
    const client = this.#client;
    if (client === null || !this.#ready) {
      this.#pending.add(change);
      this.#connect();
      return;
    }
    this.#outbox.push(change);
    if (this.#outbox.length === 1) queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    const changes = this.#outbox;
    this.#outbox = [];
    const client = this.#client;
    if (client === null || !this.#ready) {
      for (const change of changes) this.#pending.add(change);
      this.#connect();
      return;
    }
    // Anything held from a failed send goes first.
    this.#send(client, [...this.#pending.take(), ...changes]);
  }

  subscribe(profileId: string, listener: ChangeListener): () => void {
    const remove = this.#listeners.add(profileId, listener);
    const client = this.#client;
    if (client === null) this.#connect();
    else if (this.#ready) void this.#listen(client);
    // Still connecting: the connection LISTENs (and resyncs) once it is open.
    return remove;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const client = this.#client;
    this.#client = null;
    this.#ready = false;
    await client?.end().catch(() => {});
  }

  #connect(): void {
    if (this.#closed || this.#client !== null || this.#timer !== null) return;
    const client = new pg.Client({
      connectionString: this.#o.url,
      application_name: this.#o.applicationName,
      keepAlive: true,
    });
    this.#client = client;
    this.#ready = false;
    this.#listening = null;
    client.on('error', (error) => this.#drop(client, error));
    client.on('end', () => this.#drop(client, null));
    client.on('notification', (message) => {
      if (message.channel !== this.#o.channel || message.payload === undefined) return;
      const change = decodeChange(message.payload);
      if (change !== null) this.#listeners.deliver(change);
    });
    client
      .connect()
      .then(async () => {
        if (this.#client !== client) return;
        if (this.#listeners.size > 0) await this.#listen(client);
        if (this.#client !== client) return;
        this.#ready = true;
        this.#reconnect.reset();
        const held = this.#pending.take();
        if (held.length > 0) this.#send(client, held);
      })
      .catch((error: unknown) => this.#drop(client, error));
  }

  /** LISTENs once per connection, then tells every listener to re-read (it may have missed some). */
  #listen(client: pg.Client): Promise<void> {
    this.#listening ??= client.query(`LISTEN "${this.#o.channel}"`).then(
      () => this.#listeners.resync(),
      (error: unknown) => this.#drop(client, error),
    );
    return this.#listening;
  }

  /** One statement, one transaction: `SELECT pg_notify($1, $2), pg_notify($1, $3), ...`. */
  #send(client: pg.Client, changes: readonly Change[]): void {
    const calls = changes.map((_, i) => `pg_notify($1, $${i + 2})`).join(', ');
    const values = [this.#o.channel, ...changes.map(encodeChange)];
    client.query(`SELECT ${calls}`, values).catch(() => {
      // The connection failed ('error' replaces it): send these again once it is back.
      if (this.#closed) return;
      for (const change of changes) this.#pending.add(change);
      this.#connect();
    });
  }

  #drop(client: pg.Client, error: unknown): void {
    if (this.#client !== client) return;
    this.#client = null;
    this.#ready = false;
    this.#listening = null;
    if (error !== null) this.#onError(error);
    client.end().catch(() => {});
    if (this.#closed || (this.#listeners.size === 0 && this.#pending.size === 0)) return;
    const delay = this.#reconnect.next();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#connect();
    }, delay);
    this.#timer.unref();
  }
}
