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

/** Socket-level failures: the database cannot be reached right now. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Postgres SQLSTATEs of a lost or refused session: class 08 (connection exception), 57P01
 * admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 57P05 idle_session_timeout,
 * 53300 too_many_connections.
 */
const POSTGRES_STATE = /^(08[0-9A-Z]{3}|57P0[1235]|53300)$/;

/** SQLite result codes (extended ones included) of a database that cannot be used right now. */
const SQLITE_CODE = /^SQLITE_(BUSY|IOERR|CANTOPEN)(_|$)/;

/** What pg, pg-pool and postgres-dialect.ts say when a connection is gone or never came. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|Query read timeout|connection abandoned after a query timeout|the database system is (starting up|shutting down|in recovery mode)/i;

function unavailableHere(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || POSTGRES_STATE.test(code) || SQLITE_CODE.test(code)) return true;
  }
  return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
}

/**
 * True when `error` says the database is unreachable or refusing sessions right now (a stopped
 * or restarting server, a dropped connection, a busy or unreadable SQLite file), as opposed to
 * a failed statement. The API answers 503 and the engine retries on these. Follows `cause`
 * chains and AggregateError (pg may try several addresses).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 20) {
    const current = queue.shift();
    if (current === undefined || current === null || seen.has(current)) continue;
    seen.add(current);
    if (unavailableHere(current)) return true;
    if (current instanceof AggregateError) queue.push(...current.errors);
    if (typeof current === 'object' && 'cause' in current) queue.push((current as { cause: unknown }).cause);
  }
  return false;
}
