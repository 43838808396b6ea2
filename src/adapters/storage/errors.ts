/**
 * Typed storage errors. Each names what went wrong and what to do about it; none ever carries a
 * database password (URLs are masked before they reach a message).
 */

/** DATABASE_URL is missing, malformed or names an unsupported database. The CLI exits with 2. */
export class DatabaseUrlError extends Error {
  readonly code = 'DATABASE_URL_INVALID';
  readonly exitCode = 2;
  constructor(
    readonly reason: string,
    readonly maskedUrl: string,
  ) {
    super(
      `DATABASE_URL ${JSON.stringify(maskedUrl)}: ${reason}. ` +
        'Allowed: sqlite:<path> (e.g. sqlite:./data/centaur.db, sqlite:/abs/path.db, sqlite::memory:) ' +
        'or postgres://user:password@host:5432/database (postgresql:// also accepted).',
    );
    this.name = 'DatabaseUrlError';
  }
}

/** A migration failed. Kysely runs one batch in one transaction, so none of the batch is applied. */
export class MigrationError extends Error {
  readonly code = 'MIGRATION_FAILED';
  constructor(
    readonly migrationName: string | null,
    override readonly cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      migrationName === null
        ? `migrations failed before any migration ran: ${detail}`
        : `migration ${migrationName} failed: ${detail}`,
    );
    this.name = 'MigrationError';
  }
}

/** The schema is behind the code: a process refuses to start until `centaur migrate` has run. */
export class PendingMigrationsError extends Error {
  readonly code = 'MIGRATIONS_PENDING';
  constructor(readonly pending: readonly string[]) {
    super(
      `the database schema is not up to date: ${pending.length} pending migration(s) ` +
        `(${pending.join(', ')}). Run \`centaur migrate\` first.`,
    );
    this.name = 'PendingMigrationsError';
  }
}

/** A stored row does not map to a domain value (corrupt JSON, unknown status...). */
export class StorageDataError extends Error {
  readonly code = 'STORAGE_DATA_INVALID';
  constructor(
    readonly table: string,
    readonly column: string,
    readonly value: unknown,
  ) {
    super(`${table}.${column}: unexpected stored value ${JSON.stringify(value)?.slice(0, 200)}`);
    this.name = 'StorageDataError';
  }
}
