/**
 * Orders from the broker's REST view into the ledger. Reads the orders submitted since a time
 * (paged), the open ones when the ledger holds older open orders, and one by one the ledger's
 * remaining non-final orders; applies each monotonically; writes an audit event for every order
 * the ledger had wrong or did not know (orders placed outside Centaur appear here too).
 */
import { AUDIT_ACTIONS } from '../contract/audit-actions.js';
import { isCentaurClientOrderId } from '../contract/client-order-id.js';
import { dec } from '../core/decimal.js';
import { isFinalStatus, type Order, orderLastChange } from '../core/order.js';
import { compareTimestamps, type Timestamp } from '../core/time.js';
import type { Broker } from '../ports/broker.js';
import type { Repositories, Store } from '../ports/store.js';
import type { Announce } from './change-announcer.js';
import type { LossEvidence } from './loss-detector.js';

export const ORDER_PAGE = 500;
/** At most this many non-final ledger orders are re-read one by one per pass (the rest next time). */
export const MAX_SINGLE_READS = 25;

export interface OrderSyncDeps {
  store: Store;
  broker: Broker;
  profileId: string;
  now: () => Timestamp;
  correlationId: () => string;
  marginMs: number;
  /** Ledger orders the broker does not know (kept across passes by the reconciler). */
  unknown: UnknownOrders;
  /** Announces the orders a pass changed (after each batch's commit). */
  announce?: Announce;
}

/** How long a ledger order the broker answered 404 for is left before it is read again. */
export const UNKNOWN_RETRY_MS = 3_600_000;

/**
 * Ledger-open orders the broker answers 404 for (e.g. after a paper account reset): read again
 * only once an hour, so they cannot spend the REST budget on every pass.
 */
export class UnknownOrders {
  readonly #retryAt = new Map<string, number>();

  due(id: string, nowMs: number): boolean {
    const at = this.#retryAt.get(id);
    return at === undefined || nowMs >= at;
  }

  /** Records a 404; true the first time for this order. */
  mark(id: string, nowMs: number): boolean {
    const first = !this.#retryAt.has(id);
    this.#retryAt.set(id, nowMs + UNKNOWN_RETRY_MS);
    return first;
  }

  forget(id: string): void {
    this.#retryAt.delete(id);
  }
}

/**
 * Reads ledger orders one by one (at most MAX_SINGLE_READS, skipping those the broker recently did
 * not know); the first 404 of an order is audited once (`reconcile.order_unknown_at_broker`).
 */
async function readOneByOne(d: OrderSyncDeps, locals: readonly Order[], reason: string): Promise<Order[]> {
  const nowMs = Date.parse(d.now());
  const out: Order[] = [];
  for (const local of locals.filter((o) => d.unknown.due(o.id, nowMs)).slice(0, MAX_SINGLE_READS)) {
    const remote = await d.broker.getOrder(local.id, { lane: 'read' });
    if (remote) {
      d.unknown.forget(local.id);
      out.push(remote);
    } else if (d.unknown.mark(local.id, nowMs)) {
      await d.store.audit.append({
        profileId: d.profileId,
        at: d.now(),
        actor: 'engine',
        action: AUDIT_ACTIONS.reconcileOrderUnknownAtBroker,
        reason,
        subjectType: 'order',
        subjectId: local.id,
        correlationId: d.correlationId(),
        data: { clientOrderId: local.clientOrderId, symbol: local.symbol, ledgerStatus: local.status },
      });
    }
  }
  return out;
}

/** Every order submitted after `after`, oldest first, paged by moving `after` forward. */
export async function listOrdersSince(broker: Broker, after: Timestamp): Promise<Order[]> {
  const out = new Map<string, Order>();
  let cursor = after;
  for (let page = 0; page < 100; page++) {
    const batch = await broker.listOrders(
      { status: 'all', after: cursor, direction: 'asc', limit: ORDER_PAGE },
      { lane: 'read' },
    );
    for (const o of batch) out.set(o.id, o);
    if (batch.length < ORDER_PAGE) break;
    const last = batch[batch.length - 1] as Order;
    const next = last.submittedAt ?? last.createdAt;
    if (compareTimestamps(next, cursor) <= 0) break;
    cursor = next;
  }
  return [...out.values()];
}

/** Reads the broker's orders relevant since `after` and applies them; returns the orders read. */
export async function syncOrders(d: OrderSyncDeps, after: Timestamp, reason: string): Promise<Order[]> {
  // Ledger orders created after this may postdate the list just read: the next pass reads them.
  const listedBefore = new Date(Date.parse(d.now()) - d.marginMs).toISOString();
  const seen = new Map((await listOrdersSince(d.broker, after)).map((o) => [o.id, o]));
  const ledgerOpen = (await d.store.orders.list(d.profileId, { status: 'open' })).filter(
    (o) => !seen.has(o.id) && compareTimestamps(o.createdAt, listedBefore) < 0,
  );
  if (ledgerOpen.length > 0) {
    const open = await d.broker.listOrders({ status: 'open', limit: ORDER_PAGE }, { lane: 'read' });
    for (const o of open) seen.set(o.id, o);
  }
  const stillUnknown = ledgerOpen.filter((o) => !seen.has(o.id));
  for (const remote of await readOneByOne(d, stillUnknown, reason)) seen.set(remote.id, remote);
  const orders = [...seen.values()];
  await applyOrders(d, orders, reason);
  return orders;
}

/**
 * The cheap check of a healthy stream: the broker's open orders against the ledger's. An open
 * order the ledger lacks or holds with another status or filled quantity, or a ledger-open order
 * the broker has since finished (read one by one), is a lost event once its last change is older
 * than the margin (a younger one may still be in flight: the next check sees it). Those orders
 * are applied (audited repairs) and returned as evidence. A full page of open orders cannot be
 * checked this way and is evidence by itself.
 */
export async function verifyOpenOrders(
  d: OrderSyncDeps,
  reason: string,
): Promise<{ evidence: LossEvidence[]; repaired: Order[] }> {
  const settled = new Date(Date.parse(d.now()) - d.marginMs).toISOString();
  const isSettled = (o: Order) => compareTimestamps(orderLastChange(o), settled) < 0;
  const open = await d.broker.listOrders({ status: 'open', limit: ORDER_PAGE }, { lane: 'read' });
  const evidence: LossEvidence[] = [];
  if (open.length >= ORDER_PAGE) {
    const since = open.reduce((t, o) => (compareTimestamps(o.createdAt, t) < 0 ? o.createdAt : t), settled);
    evidence.push({ kind: 'order_mismatch', symbol: '*', since, detail: 'open orders fill a page' });
  }
  const ledgerOpen = new Map(
    (await d.store.orders.list(d.profileId, { status: 'open' })).map((o) => [o.id, o]),
  );
  const repaired: Order[] = [];
  const judge = async (local: Order | null, remote: Order) => {
    if (!isSettled(remote) || (local && (isFinalStatus(local.status) || !isRepair(local, remote)))) return;
    repaired.push(remote);
    evidence.push({
      kind: 'order_mismatch',
      symbol: remote.symbol,
      since: local ? orderLastChange(local) : (remote.submittedAt ?? remote.createdAt),
      detail: `order ${remote.id}: ledger ${local ? `${local.status} ${local.filledQty}` : 'unknown'}, broker ${remote.status} ${remote.filledQty}`,
    });
  };
  const remoteOpen = new Set(open.map((o) => o.id));
  for (const remote of open) {
    await judge(ledgerOpen.get(remote.id) ?? (await d.store.orders.get(d.profileId, remote.id)), remote);
  }
  const finished = [...ledgerOpen.values()].filter(
    (o) => !remoteOpen.has(o.id) && compareTimestamps(o.createdAt, settled) < 0,
  );
  for (const remote of await readOneByOne(d, finished, reason))
    await judge(ledgerOpen.get(remote.id) ?? null, remote);
  await applyOrders(d, repaired, reason);
  return { evidence, repaired };
}

/** Orders applied per transaction: small enough not to hold the ledger long against stream events. */
const APPLY_BATCH = 100;

async function applyOrders(d: OrderSyncDeps, orders: Order[], reason: string): Promise<void> {
  const at = d.now();
  for (let i = 0; i < orders.length; i += APPLY_BATCH) {
    const applied = await d.store.transaction(async (tx) => {
      const ids: string[] = [];
      for (const order of orders.slice(i, i + APPLY_BATCH)) {
        const before = await tx.orders.get(d.profileId, order.id);
        const outcome = await tx.orders.apply(d.profileId, order);
        if (outcome.applied) ids.push(order.id);
        if (outcome.applied && isRepair(before, order)) await auditOrder(tx, d, before, order, at, reason);
      }
      return ids;
    });
    if (applied.length > 0) d.announce?.('orders', applied);
  }
}

/** A REST read that moves status or filled quantity, or reveals an unknown order, repairs the ledger. */
function isRepair(before: Order | null, after: Order): boolean {
  if (!before) return true;
  return before.status !== after.status || !dec(before.filledQty).eq(after.filledQty);
}

async function auditOrder(
  tx: Repositories,
  d: OrderSyncDeps,
  before: Order | null,
  after: Order,
  at: Timestamp,
  reason: string,
): Promise<void> {
  await tx.audit.append({
    profileId: d.profileId,
    at,
    actor: 'engine',
    action: before ? AUDIT_ACTIONS.reconcileOrderRepaired : AUDIT_ACTIONS.reconcileOrderDiscovered,
    reason,
    subjectType: 'order',
    subjectId: after.id,
    correlationId: d.correlationId(),
    data: {
      clientOrderId: after.clientOrderId,
      symbol: after.symbol,
      fromStatus: before?.status ?? null,
      toStatus: after.status,
      fromFilledQty: before?.filledQty ?? null,
      toFilledQty: after.filledQty,
      external: !isCentaurClientOrderId(after.clientOrderId),
      final: isFinalStatus(after.status),
    },
  });
}
