import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/adapters/storage/database.js';
import { migrateToLatest } from '../../src/adapters/storage/migrator.js';
import { startApi } from '../../src/cli/commands/api.js';
import { CliError } from '../../src/cli/context.js';
import { loadConfig } from '../../src/config/config.js';

const log = pino({ level: 'silent' });
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('centaur api (startApi)', () => {
  it('refuses a database with pending migrations (exit code 2)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'centaur-cli-api-'));
    const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'c.db')}`, API_PORT: '0' });
    const error = await startApi(config, log).catch((e) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('centaur migrate');
  });

  it('listens on API_HOST:API_PORT, serves requests and stops cleanly', async () => {
    dir = mkdtempSync(join(tmpdir(), 'centaur-cli-api-'));
    const url = `sqlite:${join(dir, 'c.db')}`;
    const db = createDatabase(url);
    await migrateToLatest(db);
    await db.destroy();
    const api = await startApi(loadConfig({ DATABASE_URL: url, API_PORT: '0' }), log);
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${api.url}/state/profile`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { profile_id: string }).profile_id).toBe('default');
    const kill = await fetch(`${api.url}/commands/kill-switch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ confirm_token: 'PAPER' }),
    });
    expect(kill.status).toBe(202);
    await api.stop();
    await expect(fetch(`${api.url}/health`)).rejects.toThrow();
  });
});
