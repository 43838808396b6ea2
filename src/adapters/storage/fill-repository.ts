/**
 * Fills: insert-once by the broker's execution id (a replayed event is a no-op, not an error),
 * listed newest first, and the time of the latest one as the back-fill watermark.
 */
import type { Selectable } from 'kysely';
import type { Fill } from '../../core/fill.js';
import { ORDER_SIDES } from '../../core/order.js';
import type { Timestamp } from '../../core/time.js';
import type { FillRepository } from '../../ports/store.js';
import type { Db } from './database.js';
import type { FillsTable } from './fills.table.js';
import { oneOf, timeKey } from './row-values.js';

export interface FillListQuery {
  symbol?: string;
  orderId?: string;
  since?: Timestamp;
  limit?: number;
}

export function rowToFill(row: Selectable<FillsTable>): Fill {
  return {
    executionId: row.execution_id,
    orderId: row.order_id,
    clientOrderId: row.client_order_id,
    symbol: row.symbol,
    side: oneOf(ORDER_SIDES, row.side, 'fills', 'side'),
    qty: row.qty,
    price: row.price,
    at: row.at,
    positionQty: row.position_qty,
    source: oneOf(['stream', 'activity'] as const, row.source, 'fills', 'source'),
  };
}

/** Stores a fill unless its execution id is already stored; true when it was new. */
export async function insertFill(db: Db, profileId: string, fill: Fill): Promise<boolean> {
  const result = await db
    .insertInto('fills')
    .values({
      profile_id: profileId,
      execution_id: fill.executionId,
      order_id: fill.orderId,
      client_order_id: fill.clientOrderId,
      symbol: fill.symbol,
      side: fill.side,
      qty: fill.qty,
      price: fill.price,
      at: fill.at,
      at_key: timeKey(fill.at),
      position_qty: fill.positionQty,
      source: fill.source,
    })
    .onConflict((oc) => oc.columns(['profile_id', 'execution_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Fills newest first. */
export async function listFills(db: Db, profileId: string, query: FillListQuery = {}): Promise<Fill[]> {
  const rows = await db
    .selectFrom('fills')
    .selectAll()
    .where('profile_id', '=', profileId)
    .$if(query.symbol !== undefined, (q) => q.where('symbol', '=', query.symbol as string))
    .$if(query.orderId !== undefined, (q) => q.where('order_id', '=', query.orderId as string))
    .$if(query.since !== undefined, (q) => q.where('at_key', '>=', timeKey(query.since as string)))
    .orderBy('at_key', 'desc')
    .orderBy('execution_id', 'desc')
    .$if(query.limit !== undefined, (q) => q.limit(query.limit as number))
    .execute();
  return rows.map(rowToFill);
}

export async function latestFillAt(db: Db, profileId: string): Promise<Timestamp | null> {
  const row = await db
    .selectFrom('fills')
    .select('at')
    .where('profile_id', '=', profileId)
    .orderBy('at_key', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.at ?? null;
}

export function fillRepository(db: Db): FillRepository {
  return {
    insert: (profileId, fill) => insertFill(db, profileId, fill),
    list: (profileId, query) => listFills(db, profileId, query),
    latestAt: (profileId) => latestFillAt(db, profileId),
  };
}
