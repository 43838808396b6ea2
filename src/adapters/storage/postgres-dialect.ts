/** Postgres through a pg connection pool. Nothing here is global: pg type parsers stay untouched. */
import { PostgresDialect } from 'kysely';
import pg from 'pg';

export interface PostgresOptions {
  /** Pool size; a small default suits one engine or API process. */
  maxConnections?: number;
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
  return new PostgresDialect({ pool });
}
