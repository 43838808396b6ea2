/**
 * Postgres through a pg connection pool. Nothing here is global: pg type parsers stay untouched.
 *
 * What it must preserve: a database outage never kills the process and never hangs a caller.
 * - Every pooled client gets an 'error' listener when it connects, so a connection that dies
 *   while checked out (a transaction between two queries when the server stops) is reported,
 *   not thrown as an unhandled 'error' event; its next query rejects, and it leaves the pool
 *   when released. The pool's own 'error' (idle clients) is listened to as well.
 * - Connecting times out (connectTimeoutMs); the server cancels a runaway statement
 *   (statement_timeout) and ends a session left idle inside a transaction; a query whose answer
 *   never comes (a hung server) fails on the client after queryTimeoutMs, and that connection
 *   is then discarded instead of being handed to the next caller with the hung query in front.
 * - The pool opens new connections on demand, so it recovers by itself once the server is back.
 *   `isDatabaseUnavailable` (errors.ts) recognises the errors of an outage.
 */
import { PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';

export interface PostgresOptions {
  /** Pool size; a small default suits one engine or API process. */
  maxConnections?: number;
  /**
   * Called when a pooled connection fails, idle or checked out (server restart, terminated
   * backend, network loss). The connection is dropped and a new one opened when needed.
   * Default: ignore (callers see the failure as a rejected query).
   */
  onConnectionError?: (error: Error) => void;
  /** How long to wait for a new connection; default 5 s. */
  connectTimeoutMs?: number;
  /** Server-side limit for one statement (lock waits included); default 15 s. 0 disables. */
  statementTimeoutMs?: number;
  /** Client-side limit for an answer (a hung server); default statementTimeoutMs + 5 s. */
  queryTimeoutMs?: number;
}

export const POSTGRES_DEFAULTS = {
  maxConnections: 10,
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 15_000,
  /** A session that died mid-transaction must not hold its locks forever. */
  idleInTransactionTimeoutMs: 60_000,
  keepAliveInitialDelayMs: 10_000,
} as const;

const QUERY_TIMEOUT = /Query read timeout/i;

/** The Kysely pool over pg's: discards a client whose query timed out (see the header). */
class GuardedPool implements PostgresPool {
  constructor(private readonly pool: pg.Pool) {}

  async connect(): Promise<PostgresPoolClient> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const query = async (text: string, parameters: ReadonlyArray<unknown>) => {
      if (broken) {
        throw new Error('Postgres connection abandoned after a query timeout', { cause: broken });
      }
      try {
        return await client.query(text, [...parameters]);
      } catch (error) {
        if (error instanceof Error && QUERY_TIMEOUT.test(error.message)) broken = error;
        throw error;
      }
    };
    return {
      query: query as unknown as PostgresPoolClient['query'],
      // Released with an error, pg's pool ends the client instead of reusing it.
      release: () => client.release(broken),
    };
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

export function createPostgresPool(connectionString: string, options: PostgresOptions = {}): pg.Pool {
  const statementTimeoutMs = options.statementTimeoutMs ?? POSTGRES_DEFAULTS.statementTimeoutMs;
  const queryTimeoutMs = options.queryTimeoutMs ?? (statementTimeoutMs > 0 ? statementTimeoutMs + 5_000 : 0);
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? POSTGRES_DEFAULTS.maxConnections,
    connectionTimeoutMillis: options.connectTimeoutMs ?? POSTGRES_DEFAULTS.connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: POSTGRES_DEFAULTS.keepAliveInitialDelayMs,
    ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
    ...(queryTimeoutMs > 0 ? { query_timeout: queryTimeoutMs } : {}),
    idle_in_transaction_session_timeout: POSTGRES_DEFAULTS.idleInTransactionTimeoutMs,
  });
  const report = (error: Error) => options.onConnectionError?.(error);
  // A checked-out client emits 'error' on itself; without a listener the process would die.
  pool.on('connect', (client) => client.on('error', report));
  // An idle client's error is re-emitted by the pool too: the client listener reported it already.
  pool.on('error', () => {});
  return pool;
}

export function createPostgresDialect(
  connectionString: string,
  options: PostgresOptions = {},
): PostgresDialect {
  return new PostgresDialect({ pool: new GuardedPool(createPostgresPool(connectionString, options)) });
}
