/**
 * Runs one body of store tests once per database: SQLite on a temp file and in memory, always;
 * Postgres when reachable (mandatory under CI=true, see test/support/services.ts). Each suite gets
 * its own fresh database (a temp file, or a freshly created Postgres database dropped after), and
 * each test its own profile id, so suites and tests never see each other's rows.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openStore } from '../../src/adapters/storage/kysely-store.js';
import type { Store } from '../../src/ports/store.js';
import { postgresUrl, serviceSuite } from '../support/services.js';

export type TargetName = 'sqlite-file' | 'sqlite-memory' | 'postgres';

export interface ScratchDatabase {
  url: string;
  cleanup(): Promise<void>;
}

export interface StoreHarness {
  readonly target: TargetName;
  /** Whether a second handle (another "process") can open the same database. */
  readonly shared: boolean;
  readonly url: string;
  readonly store: Store;
  /** Opens a second, independent store on the same database (closed after the suite). */
  openSecond(): Promise<Store>;
}

export function sqliteFileDatabase(): ScratchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'centaur-store-'));
  return {
    url: `sqlite:${join(dir, 'nested', 'centaur.db')}`,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Creates a uniquely named database on the Postgres server; cleanup drops it. */
export async function postgresDatabase(): Promise<ScratchDatabase> {
  const base = postgresUrl();
  const name = `centaur_test_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function scratchDatabase(target: TargetName): Promise<ScratchDatabase> {
  if (target === 'sqlite-file') return sqliteFileDatabase();
  if (target === 'sqlite-memory') return { url: 'sqlite::memory:', cleanup: async () => {} };
  return postgresDatabase();
}

function harness(target: TargetName, body: (h: StoreHarness) => void): void {
  let scratch: ScratchDatabase | undefined;
  let store: Store | undefined;
  const extra: Store[] = [];
  const h: StoreHarness = {
    target,
    shared: target !== 'sqlite-memory',
    get url() {
      return scratch?.url ?? '';
    },
    get store() {
      if (!store) throw new Error('store not open yet');
      return store;
    },
    async openSecond() {
      const second = await openStore(h.url);
      extra.push(second);
      return second;
    },
  };
  beforeAll(async () => {
    scratch = await scratchDatabase(target);
    store = await openStore(scratch.url, { migrate: true });
  });
  afterAll(async () => {
    for (const s of extra) await s.close();
    await store?.close();
    await scratch?.cleanup();
  });
  body(h);
}

/** Registers `body` once per database target. Call with top-level await. */
export async function describeStore(title: string, body: (h: StoreHarness) => void): Promise<void> {
  describe(`${title} [sqlite file]`, () => harness('sqlite-file', body));
  describe(`${title} [sqlite :memory:]`, () => harness('sqlite-memory', body));
  await serviceSuite('postgres', () => describe(`${title} [postgres]`, () => harness('postgres', body)));
}

export function newProfile(): string {
  return `p-${randomUUID()}`;
}
