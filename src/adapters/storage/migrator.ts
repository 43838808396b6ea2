/**
 * Migrations are the only authority over the schema. `centaur migrate` calls migrateToLatest;
 * every other process calls assertMigrated and refuses to start while migrations are pending.
 * Nothing here creates a table except migrateToLatest (reading the state never does).
 */
import { type Kysely, type MigrationProvider, Migrator } from 'kysely';
import type { Database } from './database.js';
import { MigrationError, PendingMigrationsError } from './errors.js';
import { migrationProvider } from './migrations/provider.js';

function migrator(db: Kysely<Database>, provider: MigrationProvider): Migrator {
  return new Migrator({ db, provider });
}

/** Applies every pending migration; returns the names applied (empty when already up to date). */
export async function migrateToLatest(
  db: Kysely<Database>,
  provider: MigrationProvider = migrationProvider,
): Promise<{ applied: string[] }> {
  const { error, results = [] } = await migrator(db, provider).migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? null;
    throw new MigrationError(failed, error);
  }
  return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Names of the migrations not yet applied, in the order they would run. */
export async function pendingMigrations(
  db: Kysely<Database>,
  provider: MigrationProvider = migrationProvider,
): Promise<string[]> {
  const migrations = await migrator(db, provider).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** Throws PendingMigrationsError (naming `centaur migrate`) unless the schema is up to date. */
export async function assertMigrated(
  db: Kysely<Database>,
  provider: MigrationProvider = migrationProvider,
): Promise<void> {
  const pending = await pendingMigrations(db, provider);
  if (pending.length > 0) throw new PendingMigrationsError(pending);
}
