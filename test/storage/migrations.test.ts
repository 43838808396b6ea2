import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/adapters/storage/database.js';
import { MigrationError, PendingMigrationsError } from '../../src/adapters/storage/errors.js';
import { createStore, openStore } from '../../src/adapters/storage/kysely-store.js';
import { MIGRATIONS } from '../../src/adapters/storage/migrations/provider.js';
import { assertMigrated, migrateToLatest, pendingMigrations } from '../../src/adapters/storage/migrator.js';
import { serviceSuite } from '../support/services.js';
import { type ScratchDatabase, scratchDatabase, type TargetName } from './store-harness.js';

const ALL = Object.keys(MIGRATIONS);
const TABLES = [
  'account_snapshots',
  'assets',
  'audit_events',
  'audit_heads',
  'bus_entries',
  'commands',
  'drafts',
  'engine_heartbeat',
  'engine_lease',
  'fills',
  'orders',
  'positions',
  'quotes',
  'trading_state',
  'watched_symbols',
  'watermarks',
];

function migrationSuite(target: TargetName): void {
  const scratches: ScratchDatabase[] = [];
  const fresh = async () => {
    const scratch = await scratchDatabase(target);
    scratches.push(scratch);
    return { scratch, db: createDatabase(scratch.url) };
  };
  afterEach(async () => {
    for (const s of scratches.splice(0)) await s.cleanup();
  });

  it('applies every migration once; migrating again is a no-op', async () => {
    const { db } = await fresh();
    try {
      expect(await migrateToLatest(db)).toEqual({ applied: ALL });
      expect(await migrateToLatest(db)).toEqual({ applied: [] });
      expect(await pendingMigrations(db)).toEqual([]);
      await expect(assertMigrated(db)).resolves.toBeUndefined();
      const tables = (await db.introspection.getTables()).map((t) => t.name).sort();
      expect(tables).toEqual(TABLES);
    } finally {
      await db.destroy();
    }
  });

  it('refuses a fresh database, naming the pending migrations and `centaur migrate`, and creates nothing', async () => {
    const { db } = await fresh();
    try {
      expect(await pendingMigrations(db)).toEqual(ALL);
      const error = await assertMigrated(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PendingMigrationsError);
      expect((error as Error).message).toContain('centaur migrate');
      expect((error as Error).message).toContain(ALL[0]);
      expect(await db.introspection.getTables({ withInternalKyselyTables: true })).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  // A second handle on sqlite::memory: is a different database, so this needs a shared one.
  it.skipIf(target === 'sqlite-memory')(
    'will not open a store on a database with pending migrations',
    async () => {
      const { scratch } = await fresh();
      await expect(openStore(scratch.url)).rejects.toThrow(PendingMigrationsError);
      const store = await openStore(scratch.url, { migrate: true });
      await store.close();
      const again = await openStore(scratch.url);
      await again.close();
    },
  );

  it('names the failing migration and applies none of the batch', async () => {
    const { db } = await fresh();
    const broken = {
      getMigrations: async () => ({
        ...MIGRATIONS,
        '9999-broken': { up: async (m: Kysely<unknown>) => void (await sql`this is not sql`.execute(m)) },
      }),
    };
    try {
      const error = await migrateToLatest(db, broken).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error).toMatchObject({ migrationName: '9999-broken' });
      expect((error as Error).message).toMatch(/^migration 9999-broken failed: /);
      // Kysely runs one batch in one transaction: the migrations before the broken one roll back too.
      expect(await pendingMigrations(db, broken)).toEqual([...ALL, '9999-broken']);
      await expect(assertMigrated(db, broken)).rejects.toThrow(/9999-broken/);
    } finally {
      await db.destroy();
    }
  });

  it('keeps a lease stored before 0007 as expired, so the next engine takes it over with token 1', async () => {
    const { db } = await fresh();
    const before0007 = {
      getMigrations: async () =>
        Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0007')),
    };
    try {
      await migrateToLatest(db, before0007);
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      await sql`insert into engine_lease (profile_id, holder, expires_at, expires_at_key)
        values ('p1', 'old-engine', ${expiresAt}, ${expiresAt})`.execute(db);
      expect(await migrateToLatest(db)).toEqual({ applied: ['0007-lease-fencing'] });
      const store = createStore(db);
      expect(await store.leases.get('p1')).toMatchObject({ holder: 'old-engine', token: 0 });
      expect(await store.leases.take('p1', 'new-engine', 30_000)).toMatchObject({ token: 1 });
    } finally {
      await db.destroy();
    }
  });

  it('rolls every migration back down', async () => {
    const { db } = await fresh();
    try {
      await migrateToLatest(db);
      for (const name of [...ALL].reverse()) await MIGRATIONS[name]?.down?.(db);
      expect(await db.introspection.getTables()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
}

describe('migrations [sqlite file]', () => {
  migrationSuite('sqlite-file');

  it('creates the database directory and sets WAL, foreign keys, busy timeout and synchronous=NORMAL', async () => {
    const scratch = await scratchDatabase('sqlite-file');
    const path = scratch.url.slice('sqlite:'.length);
    expect(existsSync(dirname(path))).toBe(false);
    const db = createDatabase(scratch.url);
    try {
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('busy_timeout')).toBe(5000);
      expect(await pragma('synchronous')).toBe(1);
      expect(existsSync(dirname(path))).toBe(true);
    } finally {
      await db.destroy();
      await scratch.cleanup();
    }
  });
});

describe('migrations [sqlite :memory:]', () => migrationSuite('sqlite-memory'));

await serviceSuite('postgres', () => describe('migrations [postgres]', () => migrationSuite('postgres')));
