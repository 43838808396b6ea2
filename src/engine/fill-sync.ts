/**
 * Back-fills executions the stream did not deliver, from the broker's FILL activities. It finds
 * the orders whose broker filled quantity exceeds the ledger's fills, reads activities from just
 * before the oldest of them (or from a given time, after a reconnect), and inserts each execution
 * the ledger lacks, once, with an audit event per inserted fill.
 */
import { AUDIT_ACTIONS } from '../contract/audit-actions.js';
import { dec, ZERO } from '../core/decimal.js';
import type { Fill } from '../core/fill.js';
import type { Order } from '../core/order.js';
import { compareTimestamps, type Timestamp } from '../core/time.js';
import type { Broker, FillActivity } from '../ports/broker.js';
import type { Store } from '../ports/store.js';
import type { Announce } from './change-announcer.js';
import { missingFills } from './fill-identity.js';

export interface FillSyncDeps {
  store: Store;
  broker: Broker;
  profileId: string;
  now: () => Timestamp;
  correlationId: () => string;
  /** Announces back-filled fills (after each commit). */
  announce?: Announce;
}

/** Orders whose ledger fills add up to less than the broker's filled quantity. */
export async function ordersMissingFills(d: FillSyncDeps, orders: readonly Order[]): Promise<Order[]> {
  const out: Order[] = [];
  for (const order of orders) {
    if (dec(order.filledQty).isZero()) continue;
    const fills = await d.store.fills.list(d.profileId, { orderId: order.id });
    const sum = fills.reduce((acc, f) => acc.plus(f.qty), ZERO);
    if (sum.lt(order.filledQty)) out.push(order);
  }
  return out;
}

/** Every FILL activity after `after`, oldest first. */
export async function listActivitiesSince(broker: Broker, after: Timestamp | null): Promise<FillActivity[]> {
  const out: FillActivity[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const result = await broker.listFillActivities(
      { ...(after ? { after } : {}), ...(pageToken ? { pageToken } : {}), pageSize: 100 },
      { lane: 'read' },
    );
    out.push(...result.fills);
    if (!result.nextPageToken || result.nextPageToken === pageToken) break;
    pageToken = result.nextPageToken;
  }
  return out;
}

/** Inserts the activities the ledger lacks; returns how many fills were inserted. */
export async function backfillFills(
  d: FillSyncDeps,
  after: Timestamp | null,
  reason: string,
): Promise<number> {
  const activities = await listActivitiesSince(d.broker, after);
  const byOrder = new Map<string, Fill[]>();
  for (const a of activities) {
    const { activityId: _a, cumQty: _c, ...fill } = a;
    byOrder.set(a.orderId, [...(byOrder.get(a.orderId) ?? []), { ...fill, source: 'activity' }]);
  }
  let inserted = 0;
  const at = d.now();
  for (const [orderId, fills] of byOrder) {
    const before = inserted;
    inserted += await d.store.transaction(async (tx) => {
      const stored = await tx.fills.list(d.profileId, { orderId });
      let n = 0;
      for (const fill of missingFills(stored, fills)) {
        if (!(await tx.fills.insert(d.profileId, fill))) continue;
        n++;
        await tx.audit.append({
          profileId: d.profileId,
          at,
          actor: 'engine',
          action: AUDIT_ACTIONS.reconcileFillBackfilled,
          reason,
          subjectType: 'fill',
          subjectId: fill.executionId,
          correlationId: d.correlationId(),
          data: {
            orderId,
            symbol: fill.symbol,
            side: fill.side,
            qty: fill.qty,
            price: fill.price,
            at: fill.at,
          },
        });
      }
      return n;
    });
    if (inserted > before) d.announce?.('fills');
  }
  return inserted;
}

/** The earliest submission time among orders, less a margin: where an activity read must start. */
export function earliestSubmission(orders: readonly Order[], marginMs: number): Timestamp | null {
  let min: Timestamp | null = null;
  for (const o of orders) {
    const t = o.submittedAt ?? o.createdAt;
    if (min === null || compareTimestamps(t, min) < 0) min = t;
  }
  return min === null ? null : new Date(Date.parse(min) - marginMs).toISOString();
}
