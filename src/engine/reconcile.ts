/**
 * Reconciliation: the ledger made equal to the broker. A light refresh re-reads positions (what the
 * stream only reports provisionally). A full reconciliation appends an account snapshot, replaces
 * positions, re-reads orders submitted since the orders watermark (plus open and non-final ones),
 * back-fills FILL activities where the ledger lacks executions (or from a given time after a
 * reconnect and at startup), and moves the watermarks. Every repair is audited by the parts.
 */
import { compareTimestamps, type Timestamp } from '../core/time.js';
import type { Broker } from '../ports/broker.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { EngineStatus } from './engine-status.js';
import { backfillFills, earliestSubmission, ordersMissingFills } from './fill-sync.js';
import { syncOrders } from './order-sync.js';
import { type PositionTouches, refreshPositions, snapshotAccount } from './position-sync.js';

export const WATERMARK_ORDERS = 'orders_after';
export const WATERMARK_FILLS = 'fills_after';

export interface ReconcilerDeps {
  store: Store;
  broker: Broker;
  clock: Clock;
  ids: IdGenerator;
  profileId: string;
  status: EngineStatus;
  touches: PositionTouches;
  /** Re-read this much before every watermark (clock skew, in-flight events). */
  marginMs: number;
  /** How far back a first run (no watermark yet) reads orders and fills. */
  firstRunLookbackMs: number;
}

export interface FullOptions {
  reason: string;
  /** Read FILL activities from this time even without a detected gap (startup, reconnect). */
  fillsSince?: Timestamp | 'watermark';
}

export interface ReconcileReport {
  orders: number;
  ordersMissingFills: number;
  fillsInserted: number;
  positionsCorrected: number;
}

function minus(t: Timestamp, ms: number): Timestamp {
  return new Date(Date.parse(t) - ms).toISOString();
}

function earliest(a: Timestamp | null, b: Timestamp | null): Timestamp | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareTimestamps(a, b) <= 0 ? a : b;
}

export class Reconciler {
  /** Time of the last REST positions view (fills older than this are in it). */
  positionsConfirmedAt: Timestamp | null = null;

  constructor(private readonly d: ReconcilerDeps) {}

  #deps() {
    const d = this.d;
    return { ...d, now: () => d.clock.timestamp(), correlationId: () => d.ids.next() };
  }

  /** Re-reads positions from REST (the coalesced refresh events ask for). */
  async light(): Promise<void> {
    const started = this.d.clock.timestamp();
    await refreshPositions(this.#deps(), 'refresh');
    this.positionsConfirmedAt = started;
    this.d.status.lastSyncAt = this.d.clock.timestamp();
  }

  async full(options: FullOptions): Promise<ReconcileReport> {
    const d = this.#deps();
    const started = d.now();
    const firstRun = minus(started, d.firstRunLookbackMs);
    await snapshotAccount(d);
    const positionsCorrected = await refreshPositions(d, options.reason);
    this.positionsConfirmedAt = started;
    const ordersMark = (await d.store.watermarks.get(d.profileId, WATERMARK_ORDERS)) ?? firstRun;
    const fillsMark = (await d.store.watermarks.get(d.profileId, WATERMARK_FILLS)) ?? firstRun;
    const requested = options.fillsSince === 'watermark' ? fillsMark : (options.fillsSince ?? null);
    const ordersFrom = minus(earliest(ordersMark, requested) ?? ordersMark, d.marginMs);
    const orders = await syncOrders(d, ordersFrom, options.reason);
    const gaps = await ordersMissingFills(d, orders);
    const fillsFrom = earliest(
      requested === null ? null : minus(requested, d.marginMs),
      earliestSubmission(gaps, d.marginMs),
    );
    const fillsInserted = fillsFrom === null ? 0 : await backfillFills(d, fillsFrom, options.reason);
    await d.store.watermarks.set(d.profileId, WATERMARK_ORDERS, started);
    if (fillsFrom !== null || gaps.length === 0)
      await d.store.watermarks.set(d.profileId, WATERMARK_FILLS, started);
    const done = d.now();
    this.d.status.lastSyncAt = done;
    this.d.status.lastReconcileAt = done;
    return { orders: orders.length, ordersMissingFills: gaps.length, fillsInserted, positionsCorrected };
  }
}
