/**
 * The embedded command bus's queue: one row per published command, claimed with a visibility
 * timeout, acknowledged or moved to the dead letters (state = 'dead'). `seq` orders entries; it
 * is the one column whose type depends on the dialect (SQLite autoincrement, Postgres serial).
 */
import { type Kysely, PostgresAdapter } from 'kysely';
import { index, inList } from './schema-helpers.js';

export const BUS_ENTRY_STATES = ['pending', 'acked', 'dead'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('bus_entries')
    .addColumn('seq', postgres ? 'serial' : 'integer', (c) =>
      postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('command_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('enqueued_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(inList('state', BUS_ENTRY_STATES)))
    .addColumn('delivery_count', 'integer', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until_key', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await index(db, 'bus_entries_ready_idx', 'bus_entries', ['profile_id', 'state', 'seq']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('bus_entries').execute();
}
