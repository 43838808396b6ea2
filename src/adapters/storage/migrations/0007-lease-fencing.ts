/**
 * Fencing for the engine lease. `token` increases by one with every takeover (a renewal keeps it)
 * and is never lowered, so a write fenced with an old token can be refused by the store.
 * `expires_at_ms` (epoch milliseconds, by the store's clock) is what expiry is decided on;
 * `expires_at`/`expires_at_key` stay as its readable form. `released` marks a lease given back:
 * the row is kept (instead of deleted) so the next taker continues from its token.
 *
 * Rows written before this migration get expires_at_ms = 0, i.e. count as expired: the next
 * engine to start takes the lease over with token 1. Portable SQL: SQLite adds one column per
 * statement, and `bigint` has INTEGER affinity there.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('engine_lease')
    .addColumn('token', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('engine_lease')
    .addColumn('expires_at_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('engine_lease')
    .addColumn('released', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['released', 'expires_at_ms', 'token']) {
    await db.schema.alterTable('engine_lease').dropColumn(column).execute();
  }
}
