/**
 * The market-data cache the API reads without broker credentials: asset profiles, the latest
 * quote per symbol, and the symbols the API asked the engine to watch. The engine fills it (the
 * only process that talks to the broker); the API only reads it and registers watches.
 */
import type { Kysely } from 'kysely';
import { index, inList } from './schema-helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('assets')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(inList('status', ['active', 'inactive'])))
    .addColumn('tradable', 'integer', (c) => c.notNull())
    .addColumn('fractionable', 'integer', (c) => c.notNull())
    .addColumn('shortable', 'integer', (c) => c.notNull())
    .addColumn('easy_to_borrow', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_at_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('assets_pk', ['profile_id', 'symbol'])
    .execute();

  await db.schema
    .createTable('quotes')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('last', 'text')
    .addColumn('bid', 'text')
    .addColumn('ask', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('at_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('quotes_pk', ['profile_id', 'symbol'])
    .execute();

  await db.schema
    .createTable('watched_symbols')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('requested_at_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('watched_symbols_pk', ['profile_id', 'symbol'])
    .execute();
  await index(db, 'watched_symbols_requested_idx', 'watched_symbols', ['profile_id', 'requested_at_key']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['watched_symbols', 'quotes', 'assets']) {
    await db.schema.dropTable(table).execute();
  }
}
