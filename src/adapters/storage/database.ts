/**
 * The Kysely `Database` type, composed from the `*.table.ts` row shapes, and `createDatabase`,
 * which opens SQLite or Postgres from DATABASE_URL. Opening never touches the schema: only the
 * migrator (migrator.ts) creates or changes tables.
 */
import { Kysely, PostgresAdapter, type Transaction } from 'kysely';
import type { AuditEventsTable, AuditHeadsTable } from './audit.table.js';
import type { BusEntriesTable } from './bus.table.js';
import type { CommandsTable, DraftsTable, TradingStateTable } from './commands.table.js';
import { parseDatabaseUrl } from './database-url.js';
import type { EngineHeartbeatTable, EngineLeaseTable, WatermarksTable } from './engine.table.js';
import type { FillsTable } from './fills.table.js';
import type { AssetsTable, QuotesTable, WatchedSymbolsTable } from './market-data.table.js';
import type { OrdersTable } from './orders.table.js';
import type { AccountSnapshotsTable, PositionsTable } from './positions.table.js';
import { createPostgresDialect, type PostgresOptions } from './postgres-dialect.js';
import { CentaurSqliteDialect, openSqlite } from './sqlite-dialect.js';

export interface Database {
  orders: OrdersTable;
  fills: FillsTable;
  positions: PositionsTable;
  account_snapshots: AccountSnapshotsTable;
  commands: CommandsTable;
  drafts: DraftsTable;
  trading_state: TradingStateTable;
  audit_events: AuditEventsTable;
  audit_heads: AuditHeadsTable;
  engine_lease: EngineLeaseTable;
  engine_heartbeat: EngineHeartbeatTable;
  watermarks: WatermarksTable;
  bus_entries: BusEntriesTable;
  assets: AssetsTable;
  quotes: QuotesTable;
  watched_symbols: WatchedSymbolsTable;
}

/** A database handle or a transaction on it: every repository function takes one first. */
export type Db = Kysely<Database> | Transaction<Database>;

export type DialectName = 'sqlite' | 'postgres';

export type DatabaseOptions = PostgresOptions;

/** Opens the database named by a `sqlite:` or `postgres://` URL; throws DatabaseUrlError otherwise. */
export function createDatabase(url: string, options: DatabaseOptions = {}): Kysely<Database> {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite') {
    return new Kysely<Database>({
      dialect: new CentaurSqliteDialect(openSqlite(target.path, target.memory)),
    });
  }
  return new Kysely<Database>({ dialect: createPostgresDialect(target.connectionString, options) });
}

/** Which SQL dialect a handle (or transaction) speaks. */
export function dialectOf(db: Db): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Runs `work` in a transaction, or directly on `db` when it already is one. */
export function inTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return db.transaction().execute(work);
}
