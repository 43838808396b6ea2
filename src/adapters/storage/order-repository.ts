/**
 * Orders. `applyOrder` is the only writer: it reads the stored order and lets core's
 * `applyOrderUpdate` pick the winner inside one transaction, so a stale, reordered or duplicated
 * broker update never moves an order backwards. On Postgres the row is locked (FOR UPDATE); a
 * first insert that loses a race re-reads and re-applies.
 */
import type { Selectable } from 'kysely';
import {
  applyOrderUpdate,
  OPEN_ORDER_STATUSES,
  ORDER_SIDES,
  ORDER_STATUSES,
  ORDER_TYPES,
  type Order,
  type OrderUpdateOutcome,
  TIME_IN_FORCE,
} from '../../core/order.js';
import type { OrderListQuery, OrderRepository } from '../../ports/store.js';
import { type Db, dialectOf, inTransaction } from './database.js';
import type { OrdersTable } from './orders.table.js';
import { fromFlag, oneOf, timeKey, toFlag } from './row-values.js';

type OrderRow = Selectable<OrdersTable>;

export function rowToOrder(row: OrderRow): Order {
  return {
    id: row.id,
    clientOrderId: row.client_order_id,
    symbol: row.symbol,
    assetClass: row.asset_class,
    side: oneOf(ORDER_SIDES, row.side, 'orders', 'side'),
    type: oneOf(ORDER_TYPES, row.type, 'orders', 'type'),
    timeInForce: oneOf(TIME_IN_FORCE, row.time_in_force, 'orders', 'time_in_force'),
    orderClass: row.order_class,
    qty: row.qty,
    notional: row.notional,
    filledQty: row.filled_qty,
    filledAvgPrice: row.filled_avg_price,
    limitPrice: row.limit_price,
    stopPrice: row.stop_price,
    trailPrice: row.trail_price,
    trailPercent: row.trail_percent,
    extendedHours: fromFlag(row.extended_hours),
    status: oneOf(ORDER_STATUSES, row.status, 'orders', 'status'),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    filledAt: row.filled_at,
    canceledAt: row.canceled_at,
    expiredAt: row.expired_at,
    failedAt: row.failed_at,
    replacedAt: row.replaced_at,
    replacedBy: row.replaced_by,
    replaces: row.replaces,
  };
}

function orderToRow(profileId: string, o: Order): OrderRow {
  return {
    profile_id: profileId,
    id: o.id,
    client_order_id: o.clientOrderId,
    symbol: o.symbol,
    asset_class: o.assetClass,
    side: o.side,
    type: o.type,
    time_in_force: o.timeInForce,
    order_class: o.orderClass,
    qty: o.qty,
    notional: o.notional,
    filled_qty: o.filledQty,
    filled_avg_price: o.filledAvgPrice,
    limit_price: o.limitPrice,
    stop_price: o.stopPrice,
    trail_price: o.trailPrice,
    trail_percent: o.trailPercent,
    extended_hours: toFlag(o.extendedHours),
    status: o.status,
    created_at: o.createdAt,
    created_at_key: timeKey(o.createdAt),
    updated_at: o.updatedAt,
    submitted_at: o.submittedAt,
    filled_at: o.filledAt,
    canceled_at: o.canceledAt,
    expired_at: o.expiredAt,
    failed_at: o.failedAt,
    replaced_at: o.replacedAt,
    replaced_by: o.replacedBy,
    replaces: o.replaces,
  };
}

/** Applies a broker update monotonically and stores the winner. */
export function applyOrder(db: Db, profileId: string, update: Order): Promise<OrderUpdateOutcome> {
  return inTransaction(db, async (trx) => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await trx
        .selectFrom('orders')
        .selectAll()
        .where('profile_id', '=', profileId)
        .where('id', '=', update.id)
        .$if(dialectOf(trx) === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
      const outcome = applyOrderUpdate(current ? rowToOrder(current) : null, update);
      if (!outcome.applied) return outcome;
      if (await storeOrder(trx, profileId, update, current !== undefined)) return outcome;
      // Another writer inserted this order first (or its client order id is taken): look again.
    }
    throw new Error(
      `order ${update.id}: could not be stored; client order id ${update.clientOrderId} may belong to another order`,
    );
  });
}

/** Updates the stored row, or inserts it; false when the insert lost a race (nothing written). */
async function storeOrder(trx: Db, profileId: string, order: Order, exists: boolean): Promise<boolean> {
  const row = orderToRow(profileId, order);
  if (exists) {
    const { profile_id: _p, id: _i, ...changes } = row;
    await trx
      .updateTable('orders')
      .set(changes)
      .where('profile_id', '=', profileId)
      .where('id', '=', order.id)
      .execute();
    return true;
  }
  const inserted = await trx
    .insertInto('orders')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function getOrder(db: Db, profileId: string, id: string): Promise<Order | null> {
  const row = await db
    .selectFrom('orders')
    .selectAll()
    .where('profile_id', '=', profileId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? rowToOrder(row) : null;
}

export async function getOrderByClientOrderId(
  db: Db,
  profileId: string,
  clientOrderId: string,
): Promise<Order | null> {
  const row = await db
    .selectFrom('orders')
    .selectAll()
    .where('profile_id', '=', profileId)
    .where('client_order_id', '=', clientOrderId)
    .executeTakeFirst();
  return row ? rowToOrder(row) : null;
}

/** Orders newest first (by creation time), filtered like Alpaca's `GET /orders`. */
export async function listOrders(db: Db, profileId: string, query: OrderListQuery = {}): Promise<Order[]> {
  const open = [...OPEN_ORDER_STATUSES];
  const rows = await db
    .selectFrom('orders')
    .selectAll()
    .where('profile_id', '=', profileId)
    .$if(query.status === 'open', (q) => q.where('status', 'in', open))
    .$if(query.status === 'closed', (q) => q.where('status', 'not in', open))
    .$if(query.symbol !== undefined, (q) => q.where('symbol', '=', query.symbol as string))
    .$if(query.since !== undefined, (q) => q.where('created_at_key', '>=', timeKey(query.since as string)))
    .orderBy('created_at_key', 'desc')
    .orderBy('id', 'desc')
    .$if(query.limit !== undefined, (q) => q.limit(query.limit as number))
    .execute();
  return rows.map(rowToOrder);
}

export function orderRepository(db: Db): OrderRepository {
  return {
    apply: (profileId, order) => applyOrder(db, profileId, order),
    get: (profileId, id) => getOrder(db, profileId, id),
    getByClientOrderId: (profileId, clientOrderId) => getOrderByClientOrderId(db, profileId, clientOrderId),
    list: (profileId, query) => listOrders(db, profileId, query),
  };
}
