/** The storage adapter's public entry points (see README.md). */
export {
  createDatabase,
  type Database,
  type DatabaseOptions,
  type Db,
  type DialectName,
  dialectOf,
} from './database.js';
export { type DatabaseTarget, maskDatabaseUrl, parseDatabaseUrl } from './database-url.js';
export {
  DatabaseUrlError,
  isDatabaseUnavailable,
  MigrationError,
  PendingMigrationsError,
  StorageDataError,
} from './errors.js';
export { createRepositories, createStore, type OpenStoreOptions, openStore } from './kysely-store.js';
export { MIGRATIONS } from './migrations/provider.js';
export { assertMigrated, migrateToLatest, pendingMigrations } from './migrator.js';
export { POSTGRES_DEFAULTS, type PostgresOptions } from './postgres-dialect.js';
export { storeNow, storeNowMs } from './store-clock.js';
