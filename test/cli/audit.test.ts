/**
 * `centaur audit export` prints the head it exported, and `centaur audit verify` checks the chain
 * through a real API (startApi on a temp SQLite file), against that saved head: exit 0 while the
 * chain only grows, 1 once its newest events are cut, 2 for a half or malformed anchor.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, openStore } from '../../src/adapters/storage/index.js';
import { startApi } from '../../src/cli/commands/api.js';
import { loadConfig } from '../../src/config/config.js';
import type { Store } from '../../src/ports/store.js';

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

// The API runs in this process: the CLI must run asynchronously, never with spawnSync.
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve('bin/centaur.js'), ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: url, LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.on('exit', (status) => done({ status, stdout, stderr }));
  });
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
  it('saves the head from the export and catches the newest events being cut', async () => {
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

    const plain = await cli(['audit', 'verify', '--api', api.url, '--json']);
    expect(plain.status).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ ok: true, events: 2, anchor: null });
    const cut = await cli(['audit', 'verify', ...anchor, '--api', api.url]);
    expect(cut.status).toBe(1);
    expect(cut.stdout).toContain('saved head seq 3: MISSING');
    expect(cut.stdout).toContain('NOT OK');
    expect(cut.stderr).toContain('does not verify');
  });

  it('refuses a half or malformed anchor with exit 2, before calling the API', async () => {
    const half = await cli(['audit', 'verify', '--expect-seq', '3', '--api', 'http://127.0.0.1:9']);
    expect(half.status).toBe(2);
    expect(half.stderr).toContain('--expect-seq and --expect-hash go together');
    const bad = await cli(['audit', 'verify', '--expect-seq', '3', '--expect-hash', 'abc']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--expect-hash must be 64 hex characters');
  });
});
