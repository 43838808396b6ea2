/**
 * The Store port on Kysely. `createStore` binds every repository to the database handle;
 * `transaction` binds fresh ones to a transaction, so the whole unit of work commits or rolls
 * back together; `now` is the store's clock (store-clock.ts). `openStore` is what a process
 * calls at startup: open, refuse pending migrations (or apply them when asked explicitly), and
 * hand back the store.
 */
import type { Kysely } from 'kysely';
import type { Repositories, Store } from '../../ports/store.js';
import { accountRepository } from './account-repository.js';
import { auditRepository } from './audit-repository.js';
import { commandRepository } from './command-repository.js';
import { createDatabase, type Database, type DatabaseOptions, type Db, dialectOf } from './database.js';
import { draftRepository, tradingStateRepository } from './draft-repository.js';
import { heartbeatRepository, watermarkRepository } from './engine-repository.js';
import { fillRepository } from './fill-repository.js';
import { leaseRepository } from './lease-repository.js';
import { marketDataRepository } from './market-data-repository.js';
import { assertMigrated, migrateToLatest } from './migrator.js';
import { orderRepository } from './order-repository.js';
import { positionRepository } from './position-repository.js';
import { storeNow } from './store-clock.js';

export function createRepositories(db: Db): Repositories {
  return {
    orders: orderRepository(db),
    fills: fillRepository(db),
    positions: positionRepository(db),
    accounts: accountRepository(db),
    commands: commandRepository(db),
    drafts: draftRepository(db),
    tradingState: tradingStateRepository(db),
    audit: auditRepository(db),
    leases: leaseRepository(db),
    heartbeats: heartbeatRepository(db),
    watermarks: watermarkRepository(db),
    marketData: marketDataRepository(db),
  };
}

/**
 * The Store over an open database. It does not check the schema (see openStore). Inside
 * `transaction(work)` use only the `tx` repositories: on SQLite the single connection is held by
 * the transaction, so a call on the outer store would wait for it forever.
 */
export function createStore(db: Kysely<Database>): Store {
  return {
    ...createRepositories(db),
    dialect: dialectOf(db),
    now: () => storeNow(db),
    transaction: (work) => db.transaction().execute((trx) => work(createRepositories(trx))),
    close: () => db.destroy(),
  };
}

export interface OpenStoreOptions extends DatabaseOptions {
  /** Apply pending migrations first (the all-in-one start and `centaur migrate` do); default false. */
  migrate?: boolean;
}

/**
 * Opens the database at `url` and returns its Store. Throws DatabaseUrlError for a bad URL,
 * PendingMigrationsError when the schema is behind (unless `migrate`), MigrationError when a
 * migration fails. The database is closed again when opening fails.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const db = createDatabase(url, options);
  try {
    if (options.migrate) await migrateToLatest(db);
    else await assertMigrated(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createStore(db);
}
