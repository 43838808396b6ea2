/**
 * SQLite through better-sqlite3. The file's directory is created, and the connection is tuned
 * for a ledger: WAL journal, foreign keys on, a 5 s busy timeout, synchronous=NORMAL.
 * Transactions start with BEGIN IMMEDIATE, so a read-then-write unit of work (an order update,
 * an audit append) takes the write lock up front and two processes on one file serialise instead
 * of failing on a lock upgrade.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

export const SQLITE_PRAGMAS = [
  'journal_mode = WAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  'synchronous = NORMAL',
] as const;

/** Opens the database file (creating its directory) and applies the pragmas. */
export function openSqlite(path: string, memory: boolean): BetterSqlite3.Database {
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  for (const pragma of SQLITE_PRAGMAS) database.pragma(pragma);
  return database;
}

/**
 * SQLite does run DDL inside transactions; saying so makes Kysely's Migrator apply a batch of
 * migrations all-or-nothing, as on Postgres, and (with BEGIN IMMEDIATE) makes two concurrent
 * `centaur migrate` runs queue up instead of both applying the same migration.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * The same database handle, with prepared statements reused by SQL text (Kysely's driver
 * prepares on every query). Statements are run to completion (`all`/`run`), never left iterating,
 * so reuse is safe; SQLite re-prepares a cached statement by itself after a schema change.
 */
export function withStatementCache(database: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string): BetterSqlite3.Statement => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = database.prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
    }
    return statement;
  };
  return new Proxy(database, {
    get(target, property) {
      if (property === 'prepare') return prepare;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export class CentaurSqliteDialect implements Dialect {
  constructor(private readonly database: BetterSqlite3.Database) {}

  createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: withStatementCache(this.database) });
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
