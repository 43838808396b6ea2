/**
 * The broker ledger: orders, fills, the current positions and the account time series.
 * Portable SQL only (it runs on SQLite and Postgres): text ids made by the app, decimals as
 * exact TEXT, timestamps as RFC 3339 TEXT plus a fixed-width `*_key` text for ordering.
 */
import type { Kysely } from 'kysely';
import { index, inList } from './schema-helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('orders')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('client_order_id', 'text', (c) => c.notNull())
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('asset_class', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('time_in_force', 'text', (c) => c.notNull())
    .addColumn('order_class', 'text', (c) => c.notNull())
    .addColumn('qty', 'text')
    .addColumn('notional', 'text')
    .addColumn('filled_qty', 'text', (c) => c.notNull())
    .addColumn('filled_avg_price', 'text')
    .addColumn('limit_price', 'text')
    .addColumn('stop_price', 'text')
    .addColumn('trail_price', 'text')
    .addColumn('trail_percent', 'text')
    .addColumn('extended_hours', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_at_key', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('filled_at', 'text')
    .addColumn('canceled_at', 'text')
    .addColumn('expired_at', 'text')
    .addColumn('failed_at', 'text')
    .addColumn('replaced_at', 'text')
    .addColumn('replaced_by', 'text')
    .addColumn('replaces', 'text')
    .addPrimaryKeyConstraint('orders_pk', ['profile_id', 'id'])
    .addUniqueConstraint('orders_client_order_id_uq', ['profile_id', 'client_order_id'])
    .execute();
  await index(db, 'orders_created_idx', 'orders', ['profile_id', 'created_at_key']);
  await index(db, 'orders_status_idx', 'orders', ['profile_id', 'status', 'created_at_key']);
  await index(db, 'orders_symbol_idx', 'orders', ['profile_id', 'symbol', 'created_at_key']);

  await db.schema
    .createTable('fills')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('execution_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('client_order_id', 'text')
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('qty', 'text', (c) => c.notNull())
    .addColumn('price', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('at_key', 'text', (c) => c.notNull())
    .addColumn('position_qty', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fills_pk', ['profile_id', 'execution_id'])
    .execute();
  await index(db, 'fills_at_idx', 'fills', ['profile_id', 'at_key']);
  await index(db, 'fills_order_idx', 'fills', ['profile_id', 'order_id']);
  await index(db, 'fills_symbol_idx', 'fills', ['profile_id', 'symbol', 'at_key']);

  await db.schema
    .createTable('positions')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('asset_id', 'text')
    .addColumn('qty', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('avg_entry_price', 'text', (c) => c.notNull())
    .addColumn('cost_basis', 'text', (c) => c.notNull())
    .addColumn('current_price', 'text')
    .addColumn('lastday_price', 'text')
    .addColumn('market_value', 'text')
    .addColumn('unrealized_pl', 'text')
    .addColumn('unrealized_plpc', 'text')
    .addColumn('unrealized_intraday_pl', 'text')
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('provenance', 'text', (c) => c.notNull().check(inList('provenance', ['stream', 'rest'])))
    .addPrimaryKeyConstraint('positions_pk', ['profile_id', 'symbol'])
    .execute();

  await db.schema
    .createTable('account_snapshots')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('at_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('cash', 'text', (c) => c.notNull())
    .addColumn('equity', 'text', (c) => c.notNull())
    .addColumn('last_equity', 'text', (c) => c.notNull())
    .addColumn('buying_power', 'text', (c) => c.notNull())
    .addColumn('long_market_value', 'text', (c) => c.notNull())
    .addColumn('short_market_value', 'text', (c) => c.notNull())
    .addColumn('multiplier', 'text', (c) => c.notNull())
    .addColumn('shorting_enabled', 'integer', (c) => c.notNull())
    .addColumn('trading_blocked', 'integer', (c) => c.notNull())
    .addColumn('account_blocked', 'integer', (c) => c.notNull())
    .addColumn('trade_suspended_by_user', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_snapshots_pk', ['profile_id', 'at_key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['account_snapshots', 'positions', 'fills', 'orders']) {
    await db.schema.dropTable(table).execute();
  }
}
