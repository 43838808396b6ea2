/**
 * The append-only audit chain. `appendAuditEvent` links the new event to the profile's tip with
 * core's `chainAuditEvent` inside one transaction. The tip lives in `audit_heads`; on Postgres
 * its row is locked (SELECT ... FOR UPDATE) so concurrent appends queue up instead of forking
 * the chain; on SQLite the write transaction (BEGIN IMMEDIATE) serialises them.
 */
import type { Selectable } from 'kysely';
import { type AuditEvent, type AuditEventInput, chainAuditEvent, GENESIS_HASH } from '../../core/audit.js';
import type { AuditQuery, AuditRepository } from '../../ports/store.js';
import type { AuditEventsTable } from './audit.table.js';
import { type Db, dialectOf, inTransaction } from './database.js';
import { fromJson, timeKey, toJson } from './row-values.js';

export function rowToAuditEvent(row: Selectable<AuditEventsTable>): AuditEvent {
  return {
    profileId: row.profile_id,
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    action: row.action,
    reason: row.reason,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    correlationId: row.correlation_id,
    data: fromJson(row.data, 'audit_events', 'data'),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export function appendAuditEvent(db: Db, input: AuditEventInput): Promise<AuditEvent> {
  return inTransaction(db, async (trx) => {
    await trx
      .insertInto('audit_heads')
      .values({ profile_id: input.profileId, seq: 0, hash: GENESIS_HASH })
      .onConflict((oc) => oc.column('profile_id').doNothing())
      .execute();
    const head = await trx
      .selectFrom('audit_heads')
      .select(['seq', 'hash'])
      .where('profile_id', '=', input.profileId)
      .$if(dialectOf(trx) === 'postgres', (q) => q.forUpdate())
      .executeTakeFirstOrThrow();
    const seq = Number(head.seq);
    const event = chainAuditEvent(seq === 0 ? null : { seq, hash: head.hash }, input);
    await trx
      .insertInto('audit_events')
      .values({
        profile_id: event.profileId,
        seq: event.seq,
        at: event.at,
        at_key: timeKey(event.at),
        actor: event.actor,
        action: event.action,
        reason: event.reason,
        subject_type: event.subjectType,
        subject_id: event.subjectId,
        correlation_id: event.correlationId,
        data: toJson(event.data),
        prev_hash: event.prevHash,
        hash: event.hash,
      })
      .execute();
    await trx
      .updateTable('audit_heads')
      .set({ seq: event.seq, hash: event.hash })
      .where('profile_id', '=', input.profileId)
      .execute();
    return event;
  });
}

/** Events in chain order (ascending seq); `afterSeq` pages forward. */
export async function listAuditEvents(
  db: Db,
  profileId: string,
  query: AuditQuery = {},
): Promise<AuditEvent[]> {
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('profile_id', '=', profileId)
    .$if(query.action !== undefined, (q) => q.where('action', '=', query.action as string))
    .$if(query.actor !== undefined, (q) => q.where('actor', '=', query.actor as string))
    .$if(query.correlationId !== undefined, (q) =>
      q.where('correlation_id', '=', query.correlationId as string),
    )
    .$if(query.since !== undefined, (q) => q.where('at_key', '>=', timeKey(query.since as string)))
    .$if(query.until !== undefined, (q) => q.where('at_key', '<=', timeKey(query.until as string)))
    .$if(query.afterSeq !== undefined, (q) => q.where('seq', '>', query.afterSeq as number))
    .orderBy('seq', 'asc')
    .$if(query.limit !== undefined, (q) => q.limit(query.limit as number))
    .execute();
  return rows.map(rowToAuditEvent);
}

/** The tip recorded in `audit_heads` (seq 0 before the first event: null). */
export async function readAuditHead(
  db: Db,
  profileId: string,
): Promise<{ seq: number; hash: string } | null> {
  const row = await db
    .selectFrom('audit_heads')
    .select(['seq', 'hash'])
    .where('profile_id', '=', profileId)
    .executeTakeFirst();
  return row === undefined || Number(row.seq) === 0 ? null : { seq: Number(row.seq), hash: row.hash };
}

export function auditRepository(db: Db): AuditRepository {
  return {
    append: (input) => appendAuditEvent(db, input),
    list: (profileId, query) => listAuditEvents(db, profileId, query),
    recordedHead: (profileId) => readAuditHead(db, profileId),
  };
}
