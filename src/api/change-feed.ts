/**
 * The change feed behind GET /events (Server-Sent Events), driven by pushed changes.
 *
 * While at least one client listens, the feed subscribes to the profile's change channel
 * (ports/change-notifier.ts: in process, Postgres LISTEN/NOTIFY or Redis pub/sub). A notification
 * marks its kind dirty; on the next turn of the event loop (so that the kinds one commit changed,
 * say an order, its fill and the position, are read together) the feed re-reads only the dirty
 * kinds, compares each with what it last sent and pushes one event per kind that changed. Reads
 * never overlap: changes arriving during a read are read right after it, coalesced.
 *
 * Nothing is lost when a notification is: the feed re-reads every kind when the channel
 * (re)connects (`resync`), after a failed read, and on a slow safety poll (`eventsSafetyPollMs`,
 * 5 s). Without a channel (separate processes on SQLite, channel 'polling') that poll runs every
 * `eventsPollMs` (500 ms) instead: the documented fallback. Nothing runs while nobody listens.
 *
 * Payloads are the bodies of the GET routes, built by the same functions (snapshots.ts):
 * positions = GET /state/positions; orders = GET /state/orders?status=all&limit=50; account =
 * GET /state/account; commands = GET /commands?limit=20; engine = {profile_id, engine} with the
 * `engine` of GET /state/profile less `heartbeat_age_ms` (it changes every moment: clients age
 * `heartbeat_at` themselves); trading_state = the `trading_state` of GET /state/profile. fills is
 * a delta: {profile_id, fills} with only the fills not sent before, newest first (at most 50);
 * the catch-up sends the newest 50 (GET /state/fills?limit=50) instead. Clients merge fills by
 * execution_id.
 *
 * Event ids are `<epoch>-<seq>`: a client reconnecting with `Last-Event-ID` from this same feed
 * gets only the kinds that changed after that id (each as its current snapshot; fills as the
 * newest 50); any other id gets the full current state.
 *
 * Outages: a failed read (the database down) changes nothing and sends nothing; the next safety
 * poll reads everything again. One warning when an outage begins, one line when it ends.
 */
import { isSseEventKind, SSE_EVENT_KINDS, type SseEventKind } from '../contract/sse-events.js';
import type { ChangeKind, ChangeNotifier } from '../ports/change-notifier.js';
import type { ApiContext } from './context.js';
import { engineWire, tradingStateWire } from './presenters.js';
import { accountBody, type Body, commandsBody, fillsBody, ordersBody, positionsBody } from './snapshots.js';

/** The kinds the feed sends, in the order a catch-up sends them (the contract's list). */
export const EVENT_KINDS = SSE_EVENT_KINDS;
export type EventKind = SseEventKind;

/** How many orders, fills and commands an event carries (the UI's windows). */
export const FEED_LIMITS = { orders: 50, fills: 50, commands: 20 } as const;

export interface FeedEvent {
  id: string;
  kind: EventKind;
  data: string;
}

interface KindState {
  seq: number;
  /** The kind's current snapshot (what a catch-up sends). */
  data: string;
}

export type FeedListener = (event: FeedEvent) => void;

export class ChangeFeed {
  readonly epoch: string;
  #seq = 0;
  readonly #state = new Map<EventKind, KindState>();
  /** Execution ids of the last fills snapshot: a fills event carries the others. */
  #fillIds: Set<string> | null = null;
  readonly #listeners = new Set<FeedListener>();
  #unsubscribe: (() => void) | null = null;
  #timer: NodeJS.Timeout | null = null;
  readonly #dirty = new Set<EventKind>();
  #flushScheduled = false;
  #draining: Promise<void> | null = null;
  /** When the current outage began (the first failed read), null while reads succeed. */
  #failingSince: number | null = null;
  #failedReads = 0;

  constructor(
    private readonly ctx: ApiContext,
    private readonly changes: ChangeNotifier,
  ) {
    this.epoch = ctx.ids.next().replaceAll('-', '').slice(0, 12);
  }

  /** How often everything is re-read while clients listen. */
  get pollMs(): number {
    return this.changes.channel === 'polling'
      ? this.ctx.options.eventsPollMs
      : this.ctx.options.eventsSafetyPollMs;
  }

  /** Registers a listener and returns the events it should be sent first (the catch-up). */
  async subscribe(
    listener: FeedListener,
    lastEventId: string | undefined,
  ): Promise<{ initial: FeedEvent[]; unsubscribe: () => void }> {
    // Listening before reading: a change committed after this read is announced to us.
    this.#start();
    await this.refresh(EVENT_KINDS);
    const after = this.#seqAfter(lastEventId);
    const initial = EVENT_KINDS.flatMap((kind) => {
      const s = this.#state.get(kind);
      return s && s.seq > after ? [this.#event(kind, s.seq, s.data)] : [];
    });
    // No await between reading the state and adding the listener: no change is sent twice or lost.
    this.#listeners.add(listener);
    return { initial, unsubscribe: () => this.#unsubscribeListener(listener) };
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  #start(): void {
    if (this.#unsubscribe === null) {
      this.#unsubscribe = this.changes.subscribe(this.ctx.profileId, {
        change: (change) => this.#changed(change.kind),
        resync: () => void this.refresh(EVENT_KINDS),
      });
    }
    if (this.#timer === null) {
      this.#timer = setInterval(() => void this.refresh(EVENT_KINDS), this.pollMs);
      this.#timer.unref();
    }
  }

  #unsubscribeListener(listener: FeedListener): void {
    this.#listeners.delete(listener);
    if (this.#listeners.size === 0) this.stop();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  #changed(kind: ChangeKind): void {
    if (this.#unsubscribe === null || !isSseEventKind(kind)) return;
    this.#dirty.add(kind);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      void this.#drain();
    });
  }

  /**
   * Re-reads `kinds` and sends what changed; resolves once a read that started after this call
   * has finished (concurrent callers share the reads in progress).
   */
  refresh(kinds: readonly EventKind[]): Promise<void> {
    for (const kind of kinds) this.#dirty.add(kind);
    return this.#drain();
  }

  #drain(): Promise<void> {
    this.#draining ??= (async () => {
      try {
        while (this.#dirty.size > 0) {
          const kinds = EVENT_KINDS.filter((kind) => this.#dirty.has(kind));
          this.#dirty.clear();
          await this.#readAndSend(kinds);
        }
      } finally {
        this.#draining = null;
      }
    })();
    return this.#draining;
  }

  #seqAfter(lastEventId: string | undefined): number {
    const match = /^([0-9a-f]+)-(\d+)$/.exec(lastEventId ?? '');
    return match && match[1] === this.epoch ? Number(match[2]) : 0;
  }

  #event(kind: EventKind, seq: number, data: string): FeedEvent {
    return { id: `${this.epoch}-${seq}`, kind, data };
  }

  async #readAndSend(kinds: readonly EventKind[]): Promise<void> {
    let bodies: Map<EventKind, Body>;
    try {
      bodies = await this.#read(kinds);
    } catch (error) {
      this.#readFailed(error);
      return;
    }
    if (this.#failingSince !== null) {
      this.ctx.log.info(
        { failedReads: this.#failedReads, outageMs: Math.round(performance.now() - this.#failingSince) },
        'change feed: the store answers again',
      );
      this.#failingSince = null;
      this.#failedReads = 0;
    }
    for (const [kind, body] of bodies) this.#update(kind, body);
  }

  #readFailed(error: unknown): void {
    this.#failedReads += 1;
    if (this.#failingSince !== null) {
      this.ctx.log.debug({ failedReads: this.#failedReads }, 'change feed: the store still does not answer');
      return;
    }
    this.#failingSince = performance.now();
    this.ctx.log.warn({ err: error }, 'change feed: reading the store failed; the safety poll reads again');
  }

  #update(kind: EventKind, body: Body): void {
    const data = JSON.stringify(body);
    if (this.#state.get(kind)?.data === data) return;
    this.#seq += 1;
    const seq = this.#seq;
    this.#state.set(kind, { seq, data });
    let sent = data;
    if (kind === 'fills') {
      const fills = (body.fills ?? []) as Array<{ execution_id?: unknown }>;
      const known = this.#fillIds;
      this.#fillIds = new Set(fills.map((f) => String(f.execution_id)));
      const fresh = known === null ? fills : fills.filter((f) => !known.has(String(f.execution_id)));
      if (fresh.length === 0) return;
      sent = JSON.stringify({ ...body, fills: fresh });
    }
    for (const listener of this.#listeners) listener(this.#event(kind, seq, sent));
  }

  async #read(kinds: readonly EventKind[]): Promise<Map<EventKind, Body>> {
    const read = await Promise.all(kinds.map(async (kind) => [kind, await this.#readKind(kind)] as const));
    return new Map(read);
  }

  #readKind(kind: EventKind): Promise<Body> {
    const { ctx } = this;
    switch (kind) {
      case 'positions':
        return positionsBody(ctx);
      case 'orders':
        return ordersBody(ctx, { status: 'all', limit: FEED_LIMITS.orders });
      case 'fills':
        return fillsBody(ctx, { limit: FEED_LIMITS.fills });
      case 'account':
        return accountBody(ctx);
      case 'commands':
        return commandsBody(ctx, { limit: FEED_LIMITS.commands });
      case 'engine':
        return ctx.store.heartbeats.read(ctx.profileId).then((heartbeat) => {
          const engine = engineWire(heartbeat, 0);
          if (engine) delete engine.heartbeat_age_ms;
          return { profile_id: ctx.profileId, engine };
        });
      case 'trading_state':
        return ctx.store.tradingState.get(ctx.profileId).then(tradingStateWire);
    }
  }
}
