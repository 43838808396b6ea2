/** The engine's coordination rows: the per-profile lease, its heartbeat, and named watermarks. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('engine_lease')
    .addColumn('profile_id', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('expires_at_key', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('engine_heartbeat')
    .addColumn('profile_id', 'text', (c) => c.primaryKey())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('stream_state', 'text', (c) => c.notNull())
    .addColumn('last_event_at', 'text')
    .addColumn('last_sync_at', 'text')
    .addColumn('lag_ms', 'integer')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('watermarks')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('watermarks_pk', ['profile_id', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['watermarks', 'engine_heartbeat', 'engine_lease']) {
    await db.schema.dropTable(table).execute();
  }
}
