/**
 * Commands. `create` is idempotent per (profile, idempotency key): the insert does nothing on a
 * conflict and the existing command is read back, which also settles a concurrent race.
 * `claim` and `finish` are compare-and-set updates that follow core's lifecycle, so a terminal
 * command is never left and a redelivered command is never finished twice. Given a fence, the
 * same UPDATE also requires that the fence still holds the lease (lease-repository.ts), so an
 * engine that lost its lease changes nothing (StaleFenceError).
 */
import type { Selectable } from 'kysely';
import {
  COMMAND_STATUSES,
  COMMAND_TYPES,
  type Command,
  type CommandOutcome,
  type CommandStatus,
  canTransitionCommand,
  isTerminalCommandStatus,
} from '../../core/command.js';
import type { Timestamp } from '../../core/time.js';
import type { CommandCount, CommandListQuery, CommandRepository, Fence } from '../../ports/store.js';
import type { CommandsTable } from './commands.table.js';
import type { Db } from './database.js';
import { fenceHoldsSql, guardLease } from './lease-repository.js';
import { fromJson, fromJsonOrNull, oneOf, timeKey, toJson } from './row-values.js';

type CommandRow = Selectable<CommandsTable>;

export function rowToCommand(row: CommandRow): Command {
  return {
    id: row.id,
    profileId: row.profile_id,
    type: oneOf(COMMAND_TYPES, row.type, 'commands', 'type'),
    payload: fromJson(row.payload, 'commands', 'payload'),
    actor: row.actor,
    idempotencyKey: row.idempotency_key,
    correlationId: row.correlation_id,
    status: oneOf(COMMAND_STATUSES, row.status, 'commands', 'status'),
    result: fromJsonOrNull(row.result, 'commands', 'result'),
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    attempts: Number(row.attempts),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    expiresAt: row.expires_at,
  };
}

function commandToRow(c: Command): CommandRow {
  return {
    profile_id: c.profileId,
    id: c.id,
    type: c.type,
    payload: toJson(c.payload),
    actor: c.actor,
    idempotency_key: c.idempotencyKey,
    correlation_id: c.correlationId,
    status: c.status,
    result: c.result === null ? null : toJson(c.result),
    error_code: c.error?.code ?? null,
    error_message: c.error?.message ?? null,
    attempts: c.attempts,
    created_at: c.createdAt,
    created_at_key: timeKey(c.createdAt),
    updated_at: c.updatedAt,
    started_at: c.startedAt,
    finished_at: c.finishedAt,
    expires_at: c.expiresAt,
  };
}

export async function createCommand(
  db: Db,
  command: Command,
): Promise<{ command: Command; created: boolean }> {
  const result = await db
    .insertInto('commands')
    .values(commandToRow(command))
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0n) > 0) return { command, created: true };
  const existing =
    command.idempotencyKey === null
      ? null
      : await db
          .selectFrom('commands')
          .selectAll()
          .where('profile_id', '=', command.profileId)
          .where('idempotency_key', '=', command.idempotencyKey)
          .executeTakeFirst();
  const found = existing ?? (await getCommandRow(db, command.profileId, command.id));
  if (!found) throw new Error(`command ${command.id}: insert conflicted but no existing command was found`);
  return { command: rowToCommand(found), created: false };
}

function getCommandRow(db: Db, profileId: string, id: string): Promise<CommandRow | undefined> {
  return db
    .selectFrom('commands')
    .selectAll()
    .where('profile_id', '=', profileId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function getCommand(db: Db, profileId: string, id: string): Promise<Command | null> {
  const row = await getCommandRow(db, profileId, id);
  return row ? rowToCommand(row) : null;
}

/** Commands newest first (or oldest first with `order: 'oldest'`). */
export async function listCommands(
  db: Db,
  profileId: string,
  query: CommandListQuery = {},
): Promise<Command[]> {
  const direction = query.order === 'oldest' ? 'asc' : 'desc';
  const rows = await db
    .selectFrom('commands')
    .selectAll()
    .where('profile_id', '=', profileId)
    .$if(query.status !== undefined, (q) => q.where('status', '=', query.status as CommandStatus))
    .$if(query.type !== undefined, (q) => q.where('type', '=', query.type as string))
    .orderBy('created_at_key', direction)
    .orderBy('id', direction)
    .$if(query.limit !== undefined, (q) => q.limit(query.limit as number))
    .execute();
  return rows.map(rowToCommand);
}

/** Throws StaleFenceError when a fenced write changed nothing because the fence no longer holds. */
async function assertFenceHeld(db: Db, profileId: string, fence: Fence | undefined): Promise<void> {
  if (fence !== undefined) await guardLease(db, profileId, fence);
}

/** Statuses a claim may move to running (the lifecycle's: queued, or a redelivered running one). */
const CLAIMABLE = COMMAND_STATUSES.filter((s) => canTransitionCommand(s, 'running'));

/**
 * queued|running -> running with one more attempt; null when terminal or unknown. With a fence,
 * StaleFenceError (nothing changed) unless it holds.
 */
export async function claimCommand(
  db: Db,
  profileId: string,
  id: string,
  at: Timestamp,
  fence?: Fence,
): Promise<Command | null> {
  const row = await db
    .updateTable('commands')
    .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), started_at: at, updated_at: at }))
    .where('profile_id', '=', profileId)
    .where('id', '=', id)
    .where('status', 'in', CLAIMABLE)
    .$if(fence !== undefined, (q) => q.where(fenceHoldsSql(db, profileId, fence as Fence)))
    .returningAll()
    .executeTakeFirst();
  if (row) return rowToCommand(row);
  await assertFenceHeld(db, profileId, fence);
  return null;
}

/**
 * Records a terminal outcome exactly once; null when the command is already terminal (or
 * unknown). A transition the lifecycle forbids (queued -> succeeded) is a programmer error. With
 * a fence, StaleFenceError (nothing changed) unless it holds.
 */
export async function finishCommand(
  db: Db,
  profileId: string,
  id: string,
  outcome: CommandOutcome,
  at: Timestamp,
  fence?: Fence,
): Promise<Command | null> {
  const from = COMMAND_STATUSES.filter((s) => canTransitionCommand(s, outcome.status));
  const error = outcome.status === 'succeeded' ? null : outcome.error;
  const row = await db
    .updateTable('commands')
    .set({
      status: outcome.status,
      ...(outcome.result === undefined ? {} : { result: toJson(outcome.result) }),
      error_code: error?.code ?? null,
      error_message: error?.message ?? null,
      updated_at: at,
      finished_at: at,
    })
    .where('profile_id', '=', profileId)
    .where('id', '=', id)
    .where('status', 'in', from)
    .$if(fence !== undefined, (q) => q.where(fenceHoldsSql(db, profileId, fence as Fence)))
    .returningAll()
    .executeTakeFirst();
  if (row) return rowToCommand(row);
  await assertFenceHeld(db, profileId, fence);
  const current = await getCommand(db, profileId, id);
  if (current === null || isTerminalCommandStatus(current.status)) return null;
  throw new Error(`command ${id}: ${current.status} -> ${outcome.status} is not allowed`);
}

/**
 * queued -> rejected in one statement, only while nobody has claimed it: the API's answer to a
 * publish that failed. Returns the command as it is afterwards (rejected, or claimed meanwhile),
 * null when unknown.
 */
export async function rejectQueuedCommand(
  db: Db,
  profileId: string,
  id: string,
  error: { code: string; message: string },
  at: Timestamp,
): Promise<Command | null> {
  const row = await db
    .updateTable('commands')
    .set({
      status: 'rejected',
      error_code: error.code,
      error_message: error.message,
      updated_at: at,
      finished_at: at,
    })
    .where('profile_id', '=', profileId)
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
  return row ? rowToCommand(row) : getCommand(db, profileId, id);
}

/** How many commands the profile has, by type and status (for metrics). */
export async function countCommands(db: Db, profileId: string): Promise<CommandCount[]> {
  const rows = await db
    .selectFrom('commands')
    .select(['type', 'status', (eb) => eb.fn.countAll<string | number | bigint>().as('count')])
    .where('profile_id', '=', profileId)
    .groupBy(['type', 'status'])
    .execute();
  return rows.map((r) => ({ type: r.type, status: r.status, count: Number(r.count) }));
}

export function commandRepository(db: Db): CommandRepository {
  return {
    create: (command) => createCommand(db, command),
    get: (profileId, id) => getCommand(db, profileId, id),
    list: (profileId, query) => listCommands(db, profileId, query),
    claim: (profileId, id, at, fence) => claimCommand(db, profileId, id, at, fence),
    finish: (profileId, id, outcome, at, fence) => finishCommand(db, profileId, id, outcome, at, fence),
    counts: (profileId) => countCommands(db, profileId),
    rejectQueued: (profileId, id, error, at) => rejectQueuedCommand(db, profileId, id, error, at),
  };
}
