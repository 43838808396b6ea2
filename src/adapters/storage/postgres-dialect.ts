/** Postgres through a pg connection pool. Nothing here is global: pg type parsers stay untouched. */
import { PostgresDialect } from 'kysely';
import pg from 'pg';

export interface PostgresOptions {
  /** Pool size; a small default suits one engine or API process. */
  maxConnections?: number;
  /**
   * Called when an idle pooled connection fails (server restart, terminated backend). The pool
   * drops that connection and opens a new one when needed; without a listener pg would crash
   * the process. Default: ignore.
   */
  onIdleError?: (error: Error) => void;
}

export function createPostgresDialect(
  connectionString: string,
  options: PostgresOptions = {},
): PostgresDialect {
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  return new PostgresDialect({ pool });
}
