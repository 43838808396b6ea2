/**
 * Persists trade updates. Every event is written in ONE transaction with its effects: the order
 * applied monotonically, the fill inserted once (by execution id, and not again when the same
 * execution was already back-filled from activities), and the position quantity set at once from
 * position_qty (provisional until a REST refresh confirms it). Events are persisted strictly one
 * after another, in arrival order. Once an event is committed, what it changed (order, fill,
 * position) is announced on the change channel and a coalesced REST refresh is requested.
 */
import type { Fill } from '../core/fill.js';
import { compareTimestamps, timestampMs } from '../core/time.js';
import type { TradeUpdate } from '../ports/broker.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { Announce } from './change-announcer.js';
import type { EngineStatus } from './engine-status.js';
import { sameExecution } from './fill-identity.js';
import { settlesWithin } from './time-limit.js';

export interface PersistResult {
  orderApplied: boolean;
  fillInserted: boolean;
  positionApplied: boolean;
}

export function fillFromUpdate(update: TradeUpdate): Fill | null {
  if (!update.executionId || !update.qty || !update.price) return null;
  if (update.event !== 'fill' && update.event !== 'partial_fill') return null;
  return {
    executionId: update.executionId,
    orderId: update.order.id,
    clientOrderId: update.order.clientOrderId,
    symbol: update.order.symbol,
    side: update.order.side,
    qty: update.qty,
    price: update.price,
    at: update.at,
    positionQty: update.positionQty,
    source: 'stream',
  };
}

/**
 * Writes one update and its effects in one transaction. `positionsConfirmedAt` is the time of the
 * last REST positions view: a fill older than that is already in it and must not roll it back.
 */
export function persistTradeUpdate(
  store: Store,
  profileId: string,
  update: TradeUpdate,
  positionsConfirmedAt: string | null = null,
): Promise<PersistResult> {
  return store.transaction(async (tx) => {
    const outcome = await tx.orders.apply(profileId, update.order);
    const fill = fillFromUpdate(update);
    const result = { orderApplied: outcome.applied, fillInserted: false, positionApplied: false };
    if (!fill) return result;
    const known = await tx.fills.list(profileId, { orderId: fill.orderId });
    // Same id: a replay. Same execution back-filled from activities: already counted.
    const seen = known.some(
      (f) => f.executionId === fill.executionId || (f.source === 'activity' && sameExecution(f, fill)),
    );
    if (seen) return result;
    result.fillInserted = await tx.fills.insert(profileId, fill);
    const stale = positionsConfirmedAt !== null && compareTimestamps(fill.at, positionsConfirmedAt) < 0;
    if (result.fillInserted && update.positionQty !== null && !stale) {
      await tx.positions.applyStreamQty(profileId, fill.symbol, update.positionQty, fill.price, fill.at);
      result.positionApplied = true;
    }
    return result;
  });
}

export interface StreamConsumerOptions {
  store: Store;
  profileId: string;
  clock: Clock;
  status: EngineStatus;
  /** Time of the last REST positions view (see persistTradeUpdate). */
  positionsConfirmedAt: () => string | null;
  onPersisted: (update: TradeUpdate, result: PersistResult) => void;
  onError: (error: unknown, update: TradeUpdate) => void;
  /** Announces what each stored event changed (after its commit). */
  announce?: Announce;
}

/** Serialises updates into the store: one at a time, in arrival order. */
export class StreamConsumer {
  #chain: Promise<void> = Promise.resolve();
  #pending = 0;

  constructor(private readonly o: StreamConsumerOptions) {}

  /** Queues an update; the returned promise settles once it is stored, and rejects if it was not. */
  accept(update: TradeUpdate): Promise<void> {
    this.#pending++;
    const p = this.#chain.then(() => this.#persist(update)).finally(() => this.#pending--);
    this.#chain = p.catch(() => {});
    return p;
  }

  async #persist(update: TradeUpdate): Promise<void> {
    const s = this.o.status;
    let result: PersistResult;
    try {
      result = await persistTradeUpdate(
        this.o.store,
        this.o.profileId,
        update,
        this.o.positionsConfirmedAt(),
      );
    } catch (error) {
      this.o.onError(error, update);
      throw error;
    }
    const announce = this.o.announce;
    if (announce) {
      if (result.orderApplied) announce('orders', [update.order.id]);
      if (result.fillInserted && update.executionId) announce('fills', [update.executionId]);
      if (result.positionApplied) announce('positions', [update.order.symbol]);
    }
    s.eventsPersisted++;
    if (s.lastEventAt === null || compareTimestamps(update.at, s.lastEventAt) > 0) s.lastEventAt = update.at;
    s.lagMs = Math.max(0, this.o.clock.now().getTime() - timestampMs(update.at));
    this.o.onPersisted(update, result);
  }

  get pending(): number {
    return this.#pending;
  }

  /** Resolves once every queued update is stored. */
  drain(): Promise<void> {
    return this.#chain;
  }

  /** True once every update received so far is stored, false if that takes longer than `maxMs`. */
  async caughtUp(maxMs: number): Promise<boolean> {
    if (this.#pending === 0) return true;
    return settlesWithin(this.o.clock, this.#chain, maxMs);
  }
}
