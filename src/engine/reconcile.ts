/**
 * Reconciliation: the ledger made equal to the broker. A light refresh re-reads positions (what the
 * stream only reports provisionally). A full reconciliation appends an account snapshot, replaces
 * positions, and then either
 * - deep (startup, after a reconnect, with the stream down or disabled, and whenever a verify finds
 *   evidence of loss): re-reads orders submitted since the orders watermark (plus open and
 *   non-final ones), back-fills FILL activities where the ledger lacks executions (or from a given
 *   time after a reconnect and at startup); or
 * - verify (periodic, stream healthy): checks the stream instead of re-reading what it delivered:
 *   the fill chains of the loss detector, the broker's positions against them, and the broker's
 *   open orders against the ledger's (see docs/decisions/0005-reconcile-by-evidence.md). Any
 *   evidence is audited (`reconcile.loss_detected`) and turns the run deep at once.
 * Then the watermarks move. Every repair is audited by the parts.
 */
import { AUDIT_ACTIONS } from '../contract/audit-actions.js';
import { readWatermark, WATERMARKS, writeWatermark } from '../contract/watermarks.js';
import type { Order } from '../core/order.js';
import { compareTimestamps, type Timestamp } from '../core/time.js';
import type { Broker } from '../ports/broker.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { Announce } from './change-announcer.js';
import type { EngineStatus } from './engine-status.js';
import { backfillFills, earliestSubmission, ordersMissingFills } from './fill-sync.js';
import type { LossEvidence, StreamLossDetector } from './loss-detector.js';
import { syncOrders, UnknownOrders, verifyOpenOrders } from './order-sync.js';
import {
  type Correction,
  type PositionRefresh,
  type PositionTouches,
  refreshPositions,
  snapshotAccount,
} from './position-sync.js';

export interface ReconcilerDeps {
  store: Store;
  broker: Broker;
  clock: Clock;
  ids: IdGenerator;
  profileId: string;
  status: EngineStatus;
  touches: PositionTouches;
  detector: StreamLossDetector;
  /** Re-read this much before every watermark (clock skew, in-flight events). */
  marginMs: number;
  /** How far back a first run (no watermark yet) reads orders and fills. */
  firstRunLookbackMs: number;
  /** Announces what each step committed (positions, account, orders, fills). */
  announce?: Announce;
}

export interface FullOptions {
  reason: string;
  /** Read FILL activities from this time even without a detected gap (startup, reconnect). */
  fillsSince?: Timestamp | 'watermark';
  /** 'verify' only when the stream has been healthy since the last run (default 'deep'). */
  mode?: 'deep' | 'verify';
}

export interface ReconcileReport {
  mode: 'deep' | 'verify';
  /** Evidence of loss a verify found (it then ran deep). */
  evidence: number;
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
  /** Symbols a refresh corrected with no stream fill since (a fill in flight, or lost). */
  readonly #suspects = new Map<string, Timestamp>();
  #repairing = false;
  readonly #unknown = new UnknownOrders();

  constructor(private readonly d: ReconcilerDeps) {}

  /** Evidence of a lost event waits, or its deep re-read runs: the ledger may be behind. */
  get lossSuspected(): boolean {
    return this.#repairing || this.d.detector.pending;
  }

  #deps() {
    const d = this.d;
    return {
      ...d,
      unknown: this.#unknown,
      now: () => d.clock.timestamp(),
      correlationId: () => d.ids.next(),
    };
  }

  /** Re-reads positions from REST (the coalesced refresh events ask for). */
  async light(): Promise<void> {
    const started = this.d.clock.timestamp();
    const refresh = await refreshPositions(this.#deps(), 'refresh');
    this.#suspect(refresh.corrections, this.positionsConfirmedAt ?? started);
    this.positionsConfirmedAt = started;
    this.d.status.lastSyncAt = this.d.clock.timestamp();
  }

  async full(options: FullOptions): Promise<ReconcileReport> {
    const d = this.#deps();
    const started = d.now();
    const previousView = this.positionsConfirmedAt ?? minus(started, d.marginMs);
    await snapshotAccount(d);
    const refresh = await refreshPositions(d, options.reason);
    this.positionsConfirmedAt = started;
    const positionsCorrected = refresh.corrections.length;
    const verify =
      options.mode === 'verify' ? await this.#verify(refresh, previousView, options.reason) : null;
    if (verify && verify.evidence.length === 0) {
      await this.#moveWatermarks(started, true);
      return this.#done({
        mode: 'verify',
        evidence: 0,
        orders: 0,
        ordersMissingFills: 0,
        fillsInserted: 0,
        positionsCorrected,
      });
    }
    this.d.detector.take();
    this.#repairing = verify !== null;
    const deep = await this.#deep(options, started, verify?.repaired ?? []).finally(() => {
      this.#repairing = false;
    });
    this.#suspects.clear();
    this.d.detector.rebase(refresh.brokerQty, refresh.requestedAtMs, d.marginMs);
    return this.#done({
      mode: verify ? 'verify' : 'deep',
      evidence: verify?.evidence.length ?? 0,
      ...deep,
      positionsCorrected,
    });
  }

  /** The stream's evidence, the positions against its chains, the open orders against the ledger. */
  async #verify(refresh: PositionRefresh, previousView: Timestamp, reason: string) {
    const d = this.#deps();
    const evidence: LossEvidence[] = [...this.d.detector.take()];
    evidence.push(...this.d.detector.compare(refresh.brokerQty, refresh.requestedAtMs, d.marginMs));
    for (const [symbol, since] of this.#suspects) {
      this.#suspects.delete(symbol);
      if (this.d.detector.has(symbol)) continue;
      const detail = `position changed at the broker with no fill on the stream since ${since}`;
      evidence.push({ kind: 'position_mismatch', symbol, since, detail });
    }
    this.#suspect(refresh.corrections, previousView);
    const orders = await verifyOpenOrders(d, reason);
    evidence.push(...orders.evidence);
    if (evidence.length > 0) {
      await d.store.audit.append({
        profileId: d.profileId,
        at: d.now(),
        actor: 'engine',
        action: AUDIT_ACTIONS.reconcileLossDetected,
        reason,
        subjectType: null,
        subjectId: null,
        correlationId: d.correlationId(),
        data: { evidence: evidence.slice(0, 50), count: evidence.length },
      });
    }
    return { evidence, repaired: orders.repaired };
  }

  /** Corrections of symbols with no stream fill yet: judged at the next verify. */
  #suspect(corrections: readonly Correction[], since: Timestamp): void {
    for (const c of corrections) {
      if (!this.d.detector.has(c.symbol) && !this.#suspects.has(c.symbol))
        this.#suspects.set(c.symbol, since);
    }
  }

  /** Orders since the watermark, then the FILL activities the ledger lacks. */
  async #deep(options: FullOptions, started: Timestamp, repaired: readonly Order[]) {
    const d = this.#deps();
    const firstRun = minus(started, d.firstRunLookbackMs);
    const ordersMark =
      (await readWatermark(d.store.watermarks, d.profileId, WATERMARKS.ordersAfter)) ?? firstRun;
    const fillsMark =
      (await readWatermark(d.store.watermarks, d.profileId, WATERMARKS.fillsAfter)) ?? firstRun;
    const requested = options.fillsSince === 'watermark' ? fillsMark : (options.fillsSince ?? null);
    const ordersFrom = minus(earliest(ordersMark, requested) ?? ordersMark, d.marginMs);
    const read = await syncOrders(d, ordersFrom, options.reason);
    const readIds = new Set(read.map((o) => o.id));
    const orders = [...read, ...repaired.filter((o) => !readIds.has(o.id))];
    const gaps = await ordersMissingFills(d, orders);
    const fillsFrom = earliest(
      requested === null ? null : minus(requested, d.marginMs),
      earliestSubmission(gaps, d.marginMs),
    );
    const fillsInserted = fillsFrom === null ? 0 : await backfillFills(d, fillsFrom, options.reason);
    await this.#moveWatermarks(started, fillsFrom !== null || gaps.length === 0);
    return { orders: orders.length, ordersMissingFills: gaps.length, fillsInserted };
  }

  async #moveWatermarks(to: Timestamp, fills: boolean): Promise<void> {
    const { store, profileId } = this.d;
    await writeWatermark(store.watermarks, profileId, WATERMARKS.ordersAfter, to);
    if (fills) await writeWatermark(store.watermarks, profileId, WATERMARKS.fillsAfter, to);
  }

  #done(report: ReconcileReport): ReconcileReport {
    const done = this.d.clock.timestamp();
    this.d.status.lastSyncAt = done;
    this.d.status.lastReconcileAt = done;
    return report;
  }
}
