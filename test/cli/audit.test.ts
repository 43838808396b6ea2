/**
 * `centaur audit export` prints the head it exported, and `centaur audit verify` checks the chain
 * through a real API (startApi on a temp SQLite file), against that saved head: exit 0 while the
 * chain only grows, 1 once its newest events are cut, 2 for a half or malformed anchor.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, openStore } from '../../src/adapters/storage/index.js';
import { startApi } from '../../src/cli/commands/api.js';
import { loadConfig } from '../../src/config/config.js';
import type { Store } from '../../src/ports/store.js';
import { centaurTimeout, runCentaur } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'centaur-cli-audit-'));
const url = `sqlite:${join(dir, 'c.db')}`;
let api: { url: string; stop(): Promise<void> };
let store: Store;

function appendEvent(action: string) {
  return store.audit.append({
    profileId: 'default',
    at: '2026-08-03T14:00:00Z',
    actor: 'api:127.0.0.1',
    action,
    reason: null,
    subjectType: null,
    subjectId: null,
    correlationId: null,
    data: {},
  });
}

// The API runs in this process: the CLI runs asynchronously (runCentaur), never with spawnSync.
function cli(args: string[]) {
  return runCentaur(args, { cwd: dir, env: { DATABASE_URL: url, LOG_LEVEL: 'silent' } });
}

beforeAll(async () => {
  store = await openStore(url, { migrate: true });
  api = await startApi(loadConfig({ DATABASE_URL: url, API_PORT: '0' }), pino({ level: 'silent' }));
});

afterAll(async () => {
  await api?.stop();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('centaur audit export and verify', () => {
  // Timeout: export, verify, verify, then two verifies side by side.
  it('saves the head from the export and catches the newest events being cut', {
    timeout: centaurTimeout(4),
  }, async () => {
    for (const action of ['draft.created', 'draft.confirmed', 'order.submitted']) await appendEvent(action);
    const exported = await cli(['audit', 'export', '--out', join(dir, 'audit.ndjson')]);
    expect(exported.status).toBe(0);
    const saved = /head: seq (\d+) hash ([0-9a-f]{64})/.exec(exported.stderr);
    expect(saved?.[1]).toBe('3');
    const anchor = ['--expect-seq', saved?.[1] ?? '', '--expect-hash', saved?.[2] ?? ''];
    expect(exported.stderr).toContain(`centaur audit verify ${anchor.join(' ')}`);

    await appendEvent('order.filled');
    const grown = await cli(['audit', 'verify', ...anchor, '--api', api.url]);
    expect(grown.status).toBe(0);
    expect(grown.stdout).toContain('intact, 4 event(s)');
    expect(grown.stdout).toContain('saved head seq 3: present with the saved hash');

    const raw = createDatabase(url); // what anyone with write access to the database can do

    await raw.deleteFrom('audit_events').where('seq', '>=', 3).execute();
    const naive = await cli(['audit', 'verify', '--api', api.url]);
    expect(naive.status).toBe(1); // the tip the store recorded is gone from the chain
    expect(naive.stdout).toContain('recorded tip seq 4: MISSING');
    // ... and whoever also rewinds the recorded tip is caught only by the saved head
    const second = await raw
      .selectFrom('audit_events')
      .select('hash')
      .where('seq', '=', 2)
      .executeTakeFirstOrThrow();
    await raw.updateTable('audit_heads').set({ seq: 2, hash: second.hash }).execute();
    await raw.destroy();

    // Both read the same state: one round of two children.
    const [plain, cut] = await Promise.all([
      cli(['audit', 'verify', '--api', api.url, '--json']),
      cli(['audit', 'verify', ...anchor, '--api', api.url]),
    ]);
    expect(plain.status).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ ok: true, events: 2, anchor: null });
    expect(cut.status).toBe(1);
    expect(cut.stdout).toContain('saved head seq 3: MISSING');
    expect(cut.stdout).toContain('NOT OK');
    expect(cut.stderr).toContain('does not verify');
  });

  it('refuses a half or malformed anchor with exit 2, before calling the API', {
    timeout: centaurTimeout(1),
  }, async () => {
    const [half, bad] = await Promise.all([
      cli(['audit', 'verify', '--expect-seq', '3', '--api', 'http://127.0.0.1:9']),
      cli(['audit', 'verify', '--expect-seq', '3', '--expect-hash', 'abc']),
    ]);
    expect(half.status).toBe(2);
    expect(half.stderr).toContain('--expect-seq and --expect-hash go together');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--expect-hash must be 64 hex characters');
  });
});
