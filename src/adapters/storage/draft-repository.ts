/**
 * Drafts and the trading state. `confirmDraft` is a compare-and-set (staged -> confirmed), so
 * two confirmations of one draft can never both succeed. A fenced trading-state change is one
 * upsert that applies only while the fence holds the lease (else StaleFenceError, nothing stored).
 */
import { type Selectable, sql } from 'kysely';
import { DRAFT_STATUSES, type Draft, type DraftStatus } from '../../core/draft.js';
import { TRADING_STATES, type TradingStateRecord } from '../../core/trading-state.js';
import {
  type DraftRepository,
  type Fence,
  StaleFenceError,
  type TradingStateRepository,
} from '../../ports/store.js';
import type { DraftsTable, TradingStateTable } from './commands.table.js';
import type { Db } from './database.js';
import { fenceHoldsSql } from './lease-repository.js';
import { fromJson, oneOf, timeKey, toJson } from './row-values.js';

export function rowToDraft(row: Selectable<DraftsTable>): Draft {
  return {
    id: row.id,
    profileId: row.profile_id,
    intent: fromJson(row.intent, 'drafts', 'intent'),
    contentHash: row.content_hash,
    preview: fromJson(row.preview, 'drafts', 'preview'),
    verdict: fromJson(row.verdict, 'drafts', 'verdict'),
    status: oneOf(DRAFT_STATUSES, row.status, 'drafts', 'status'),
    actor: row.actor,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    commandId: row.command_id,
  };
}

export async function createDraft(db: Db, d: Draft): Promise<void> {
  await db
    .insertInto('drafts')
    .values({
      profile_id: d.profileId,
      id: d.id,
      intent: toJson(d.intent),
      content_hash: d.contentHash,
      preview: toJson(d.preview),
      verdict: toJson(d.verdict),
      status: d.status,
      actor: d.actor,
      created_at: d.createdAt,
      created_at_key: timeKey(d.createdAt),
      expires_at: d.expiresAt,
      expires_at_key: timeKey(d.expiresAt),
      command_id: d.commandId,
    })
    .execute();
}

export async function getDraft(db: Db, profileId: string, id: string): Promise<Draft | null> {
  const row = await db
    .selectFrom('drafts')
    .selectAll()
    .where('profile_id', '=', profileId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? rowToDraft(row) : null;
}

/** staged -> confirmed with the command id; false when the draft was not (or no longer) staged. */
export async function confirmDraft(
  db: Db,
  profileId: string,
  id: string,
  commandId: string,
): Promise<boolean> {
  const result = await db
    .updateTable('drafts')
    .set({ status: 'confirmed', command_id: commandId })
    .where('profile_id', '=', profileId)
    .where('id', '=', id)
    .where('status', '=', 'staged')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setDraftStatus(
  db: Db,
  profileId: string,
  id: string,
  status: DraftStatus,
): Promise<void> {
  await db
    .updateTable('drafts')
    .set({ status })
    .where('profile_id', '=', profileId)
    .where('id', '=', id)
    .execute();
}

export function rowToTradingState(row: Selectable<TradingStateTable>): TradingStateRecord {
  return {
    profileId: row.profile_id,
    state: oneOf(TRADING_STATES, row.state, 'trading_state', 'state'),
    reason: row.reason,
    changedBy: row.changed_by,
    changedAt: row.changed_at,
  };
}

export async function getTradingState(db: Db, profileId: string): Promise<TradingStateRecord | null> {
  const row = await db
    .selectFrom('trading_state')
    .selectAll()
    .where('profile_id', '=', profileId)
    .executeTakeFirst();
  return row ? rowToTradingState(row) : null;
}

/** Stores the trading state; with a fence, only while it holds the lease (else StaleFenceError). */
export async function setTradingState(db: Db, r: TradingStateRecord, fence?: Fence): Promise<void> {
  if (fence !== undefined) return setTradingStateFenced(db, r, fence);
  const changes = { state: r.state, reason: r.reason, changed_by: r.changedBy, changed_at: r.changedAt };
  await db
    .insertInto('trading_state')
    .values({ profile_id: r.profileId, ...changes })
    .onConflict((oc) => oc.column('profile_id').doUpdateSet(changes))
    .execute();
}

async function setTradingStateFenced(db: Db, r: TradingStateRecord, fence: Fence): Promise<void> {
  const { rows } = await sql<{ profile_id: string }>`
    insert into trading_state (profile_id, state, reason, changed_by, changed_at)
    select ${r.profileId}, ${r.state}, ${r.reason}, ${r.changedBy}, ${r.changedAt}
    where ${fenceHoldsSql(db, r.profileId, fence)}
    on conflict (profile_id) do update set
      state = excluded.state,
      reason = excluded.reason,
      changed_by = excluded.changed_by,
      changed_at = excluded.changed_at
    returning profile_id`.execute(db);
  if (rows.length === 0) throw new StaleFenceError(r.profileId, fence);
}

export function draftRepository(db: Db): DraftRepository {
  return {
    create: (draft) => createDraft(db, draft),
    get: (profileId, id) => getDraft(db, profileId, id),
    confirm: (profileId, id, commandId) => confirmDraft(db, profileId, id, commandId),
    setStatus: (profileId, id, status) => setDraftStatus(db, profileId, id, status),
  };
}

export function tradingStateRepository(db: Db): TradingStateRepository {
  return {
    get: (profileId) => getTradingState(db, profileId),
    set: (record, fence) => setTradingState(db, record, fence),
  };
}
