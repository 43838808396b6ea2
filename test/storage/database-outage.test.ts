/**
 * Database outages: the process survives a Postgres server stopping under it (a transaction in
 * progress included), every failure is recognised by isDatabaseUnavailable, and the same Store
 * works again once the server is back. Runs on a private cluster (own-postgres.ts), never on
 * the shared one.
 */
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/adapters/storage/database.js';
import { isDatabaseUnavailable } from '../../src/adapters/storage/errors.js';
import { createStore } from '../../src/adapters/storage/kysely-store.js';
import { migrateToLatest } from '../../src/adapters/storage/migrator.js';
import type { Store } from '../../src/ports/store.js';
import { createOwnPostgres, type OwnPostgres, postgresBin } from './own-postgres.js';

describe('isDatabaseUnavailable', () => {
  const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it('recognises socket failures, lost Postgres sessions and an unusable SQLite file', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']) {
      expect(isDatabaseUnavailable(coded(code)), code).toBe(true);
    }
    for (const code of ['57P01', '57P02', '57P03', '08006', '08001', '08P01', '53300']) {
      expect(isDatabaseUnavailable(coded(code)), code).toBe(true);
    }
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_IOERR_WRITE', 'SQLITE_CANTOPEN']) {
      expect(isDatabaseUnavailable(coded(code)), code).toBe(true);
    }
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
      'Client has encountered a connection error and is not queryable',
      'Query read timeout',
    ]) {
      expect(isDatabaseUnavailable(new Error(message)), message).toBe(true);
    }
  });

  it('follows causes and aggregate errors', () => {
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: coded('ECONNREFUSED') }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([new Error('a'), coded('ECONNREFUSED')]))).toBe(true);
  });

  it('does not mistake a failed statement or a programmer error for an outage', () => {
    expect(isDatabaseUnavailable(coded('23505', 'duplicate key value'))).toBe(false);
    expect(isDatabaseUnavailable(coded('57014', 'canceling statement due to statement timeout'))).toBe(false);
    expect(isDatabaseUnavailable(coded('SQLITE_CONSTRAINT_UNIQUE'))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is not a function'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});

const bin = postgresBin();
// Skipped only outside CI on a machine without the PostgreSQL server binaries (it runs its own
// cluster); under CI=true a missing binary fails the run instead.
if (bin === null && process.env.CI === 'true')
  throw new Error('no PostgreSQL binaries: CI must run this suite');
if (bin === null) console.warn('no PostgreSQL binaries under /usr/lib/postgresql: outage suite skipped');

describe.skipIf(bin === null)('Postgres outage (private cluster)', () => {
  let server: OwnPostgres;
  let db: Kysely<Database>;
  let store: Store;
  const reported: Error[] = [];

  beforeAll(async () => {
    server = await createOwnPostgres();
    await server.start();
    db = createDatabase(server.url, {
      onConnectionError: (error) => reported.push(error),
      queryTimeoutMs: 1_000,
      statementTimeoutMs: 0,
    });
    await migrateToLatest(db);
    store = createStore(db);
  });

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
  });

  it('survives the server stopping mid-transaction, fails fast while down, and recovers', async () => {
    await store.watermarks.set('p1', 'k', 'before');
    // A transaction holds a connection between two queries while the server stops.
    let inside!: () => void;
    const entered = new Promise<void>((r) => {
      inside = r;
    });
    let resume!: () => void;
    const resumed = new Promise<void>((r) => {
      resume = r;
    });
    const transaction = store.transaction(async (tx) => {
      await tx.watermarks.set('p1', 'k', 'inside');
      inside();
      await resumed;
      await tx.watermarks.set('p1', 'k', 'after-stop');
    });
    const failure = transaction.catch((e: unknown) => e);
    await entered;
    await server.stop();
    resume();
    const error = await failure;
    expect(error).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(error)).toBe(true);
    // The checked-out client's own 'error' event was reported, not thrown.
    expect(reported.some((e) => isDatabaseUnavailable(e))).toBe(true);

    // While the server is down: every query fails at once, recognisably.
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const down = await store.watermarks.get('p1', 'k').catch((e: unknown) => e);
      expect(isDatabaseUnavailable(down)).toBe(true);
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    const downNow = await store.now().catch((e: unknown) => e);
    expect(isDatabaseUnavailable(downNow)).toBe(true);

    // Back up: the same Store works again, and the aborted transaction left nothing behind.
    await server.start();
    expect(await store.watermarks.get('p1', 'k')).toBe('before');
    await store.watermarks.set('p1', 'k', 'recovered');
    expect(await store.watermarks.get('p1', 'k')).toBe('recovered');
    await store.transaction(async (tx) => tx.watermarks.set('p1', 'k', 'tx-ok'));
    expect(await store.watermarks.get('p1', 'k')).toBe('tx-ok');
  });

  it('fails a query a hung server never answers, and discards that connection', async () => {
    const pidOf = async (handle: Kysely<Database>) =>
      Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle)).rows[0]?.pid);
    let paused: number | undefined;
    try {
      const error = await db
        .transaction()
        .execute(async (trx) => {
          paused = await pidOf(trx);
          process.kill(paused, 'SIGSTOP'); // this session's backend stops answering
          await sql`select 1`.execute(trx);
        })
        .catch((e: unknown) => e);
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      if (paused !== undefined) process.kill(paused, 'SIGCONT');
    }
    // The next queries get healthy connections, never the one with a hung query in front.
    for (let i = 0; i < 12; i++) expect(await pidOf(db)).not.toBe(paused);
    expect(await store.watermarks.get('p1', 'k')).toBe('tx-ok');
  });
});
