/**
 * The change feed behind GET /events (Server-Sent Events). While at least one client listens,
 * one poller per app reads the profile's state every `eventsPollMs` (positions, orders, account,
 * commands, engine status, trading state), compares each kind with what it last sent, and pushes
 * one event per changed kind carrying the fresh snapshot. Cheap by design: a handful of indexed
 * reads per tick for all clients together, and nothing at all when nobody listens.
 *
 * Event ids are `<epoch>-<seq>`: a client reconnecting with `Last-Event-ID` from this same feed
 * gets only the kinds that changed after that id; any other id gets the full current state.
 *
 * Outages: a failed poll (the database down) changes nothing and sends nothing; the feed keeps
 * polling and picks up where it was once reads work again. It logs one warning when an outage
 * begins and one line when it ends, not one per tick.
 */
import type { ApiContext } from './context.js';
import {
  accountWire,
  commandWire,
  engineWire,
  orderWire,
  positionWire,
  tradingStateWire,
} from './presenters.js';

export const EVENT_KINDS = ['positions', 'orders', 'account', 'commands', 'engine', 'trading_state'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface FeedEvent {
  id: string;
  kind: EventKind;
  data: string;
}

interface KindState {
  seq: number;
  data: string;
}

export type FeedListener = (event: FeedEvent) => void;

export class ChangeFeed {
  readonly epoch: string;
  #seq = 0;
  readonly #state = new Map<EventKind, KindState>();
  readonly #listeners = new Set<FeedListener>();
  #timer: NodeJS.Timeout | null = null;
  #ticking: Promise<void> | null = null;
  /** When the current outage began (the first failed poll), null while polls succeed. */
  #failingSince: number | null = null;
  #failedPolls = 0;

  constructor(private readonly ctx: ApiContext) {
    this.epoch = ctx.ids.next().replaceAll('-', '').slice(0, 12);
  }

  /** Registers a listener and returns the events it should be sent first (the catch-up). */
  async subscribe(
    listener: FeedListener,
    lastEventId: string | undefined,
  ): Promise<{ initial: FeedEvent[]; unsubscribe: () => void }> {
    await this.tick();
    const after = this.#seqAfter(lastEventId);
    const initial = EVENT_KINDS.flatMap((kind) => {
      const s = this.#state.get(kind);
      return s && s.seq > after ? [this.#event(kind, s)] : [];
    });
    // No await between reading the state and adding the listener: no change is sent twice or lost.
    this.#listeners.add(listener);
    if (this.#timer === null) {
      this.#timer = setInterval(() => void this.tick(), this.ctx.options.eventsPollMs);
      this.#timer.unref();
    }
    return { initial, unsubscribe: () => this.#unsubscribe(listener) };
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  #unsubscribe(listener: FeedListener): void {
    this.#listeners.delete(listener);
    if (this.#listeners.size === 0) this.stop();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  #seqAfter(lastEventId: string | undefined): number {
    const match = /^([0-9a-f]+)-(\d+)$/.exec(lastEventId ?? '');
    return match && match[1] === this.epoch ? Number(match[2]) : 0;
  }

  #event(kind: EventKind, s: KindState): FeedEvent {
    return { id: `${this.epoch}-${s.seq}`, kind, data: s.data };
  }

  /** One poll; concurrent callers share the tick in progress. */
  tick(): Promise<void> {
    this.#ticking ??= this.#poll().finally(() => {
      this.#ticking = null;
    });
    return this.#ticking;
  }

  async #poll(): Promise<void> {
    let snapshots: Record<EventKind, unknown>;
    try {
      snapshots = await this.#read();
    } catch (error) {
      this.#failedPolls += 1;
      if (this.#failingSince === null) {
        this.#failingSince = performance.now();
        this.ctx.log.warn(
          { err: error },
          'change feed: reading the store failed; polling on until it answers',
        );
      } else {
        this.ctx.log.debug(
          { failedPolls: this.#failedPolls },
          'change feed: the store still does not answer',
        );
      }
      return;
    }
    if (this.#failingSince !== null) {
      this.ctx.log.info(
        { failedPolls: this.#failedPolls, outageMs: Math.round(performance.now() - this.#failingSince) },
        'change feed: the store answers again',
      );
      this.#failingSince = null;
      this.#failedPolls = 0;
    }
    for (const kind of EVENT_KINDS) {
      const data = JSON.stringify(snapshots[kind]);
      if (this.#state.get(kind)?.data === data) continue;
      this.#seq += 1;
      const s = { seq: this.#seq, data };
      this.#state.set(kind, s);
      for (const listener of this.#listeners) listener(this.#event(kind, s));
    }
  }

  async #read(): Promise<Record<EventKind, unknown>> {
    const { store, profileId } = this.ctx;
    const [positions, orders, account, commands, heartbeat, state] = await Promise.all([
      store.positions.list(profileId),
      store.orders.list(profileId, { status: 'all', limit: 50 }),
      store.accounts.latest(profileId),
      store.commands.list(profileId, { limit: 20 }),
      store.heartbeats.read(profileId),
      store.tradingState.get(profileId),
    ]);
    const engine = engineWire(heartbeat, 0);
    if (engine) delete engine.heartbeat_age_ms; // changes every tick; clients compute it from heartbeat_at
    return {
      positions: { positions: positions.map(positionWire) },
      orders: { orders: orders.map(orderWire) },
      account: { account: account === null ? null : accountWire(account) },
      commands: { commands: commands.map(commandWire) },
      engine: { engine },
      trading_state: tradingStateWire(state),
    };
  }
}
