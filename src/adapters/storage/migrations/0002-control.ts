/**
 * The control plane's records: commands (idempotent by key per profile), drafts, the trading
 * state, and the append-only audit chain with its per-profile head row (used as the lock that
 * keeps concurrent appends from forking the chain).
 */
import { type Kysely, sql } from 'kysely';
import { index, inList } from './schema-helpers.js';

const COMMAND_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'rejected', 'expired'];
const DRAFT_STATUSES = ['staged', 'confirmed', 'expired', 'denied'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('commands')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('correlation_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(inList('status', COMMAND_STATUSES)))
    .addColumn('result', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_at_key', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('expires_at', 'text')
    .addPrimaryKeyConstraint('commands_pk', ['profile_id', 'id'])
    .execute();
  await db.schema
    .createIndex('commands_idempotency_key_uq')
    .unique()
    .on('commands')
    .columns(['profile_id', 'idempotency_key'])
    .where(sql.ref('idempotency_key'), 'is not', null)
    .execute();
  await index(db, 'commands_created_idx', 'commands', ['profile_id', 'created_at_key']);
  await index(db, 'commands_status_idx', 'commands', ['profile_id', 'status', 'created_at_key']);

  await db.schema
    .createTable('drafts')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('intent', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('preview', 'text', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(inList('status', DRAFT_STATUSES)))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_at_key', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('expires_at_key', 'text', (c) => c.notNull())
    .addColumn('command_id', 'text')
    .addPrimaryKeyConstraint('drafts_pk', ['profile_id', 'id'])
    .execute();
  await index(db, 'drafts_status_idx', 'drafts', ['profile_id', 'status', 'expires_at_key']);

  await db.schema
    .createTable('trading_state')
    .addColumn('profile_id', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull().check(inList('state', ['ACTIVE', 'REDUCING', 'HALTED'])))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('at_key', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('subject_type', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('correlation_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_events_pk', ['profile_id', 'seq'])
    .execute();
  await index(db, 'audit_events_at_idx', 'audit_events', ['profile_id', 'at_key']);
  await index(db, 'audit_events_action_idx', 'audit_events', ['profile_id', 'action', 'seq']);
  await index(db, 'audit_events_correlation_idx', 'audit_events', ['profile_id', 'correlation_id']);

  await db.schema
    .createTable('audit_heads')
    .addColumn('profile_id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['audit_heads', 'audit_events', 'trading_state', 'drafts', 'commands']) {
    await db.schema.dropTable(table).execute();
  }
}
