import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest } from '../../src/adapters/storage/index.js';
import { type RunningSystem, startAllInOne } from '../../src/cli/all-in-one.js';
import { createApiClient } from '../../src/cli/api-client.js';
import { formatStatus } from '../../src/cli/commands/status.js';
import { formatReport, runDoctor } from '../../src/cli/doctor.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { type RunningSimulator, startSimulator } from '../../src/sim/server.js';
import { centaurTimeout, runCentaur } from '../support/cli.js';

let sim: RunningSimulator;
let migratedUrl: string;
const dir = mkdtempSync(join(tmpdir(), 'centaur-doctor-'));

beforeAll(async () => {
  sim = await startSimulator({ rateLimit: 0 });
  migratedUrl = `sqlite:${join(dir, 'ok.db')}`;
  const db = createDatabase(migratedUrl);
  await migrateToLatest(db);
  await db.destroy();
});

afterAll(async () => {
  await sim?.stop();
});

function envFor(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ALPACA_API_KEY: sim.keyId,
    ALPACA_API_SECRET: sim.secret,
    ALPACA_TRADING_BASE_URL: sim.tradingUrl,
    ALPACA_DATA_BASE_URL: sim.dataUrl,
    DATABASE_URL: migratedUrl,
    ...overrides,
  };
}

describe('centaur doctor', () => {
  it('passes every check against a reachable broker and a migrated database', async () => {
    const results = await runDoctor(envFor());
    expect(results.filter((r) => r.status === 'fail')).toEqual([]);
    expect(results.map((r) => r.name)).toEqual([
      'configuration',
      'live trading',
      'database',
      'redis',
      'broker',
      'clock',
    ]);
    expect(results.find((r) => r.name === 'broker')?.detail).toContain('equity');
  });

  it('names refused keys, pending migrations and an unreachable Redis, each with its fix', async () => {
    const results = await runDoctor(
      envFor({
        ALPACA_API_SECRET: 'wrong-secret',
        DATABASE_URL: `sqlite:${join(dir, 'fresh.db')}`,
        REDIS_URL: 'redis://127.0.0.1:1',
      }),
    );
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName.broker).toMatchObject({ status: 'fail' });
    expect(byName.broker?.fix).toContain('keys were refused');
    expect(byName.database).toMatchObject({ status: 'fail', fix: 'run `centaur migrate`' });
    expect(byName.redis?.status).toBe('fail');
    const report = formatReport(results);
    expect(report).toContain('[FAIL] broker');
    expect(report).not.toContain('wrong-secret');
  });

  it('reports every bad variable and refuses live without the opt-in', async () => {
    const bad = await runDoctor({ API_PORT: 'x', LOG_LEVEL: 'loud' });
    expect(bad.map((r) => [r.name, r.status])).toEqual([
      ['configuration', 'fail'],
      ['configuration', 'fail'],
    ]);
    const live = await runDoctor(envFor({ ALPACA_PAPER_TRADING: 'false' }));
    expect(live.find((r) => r.name === 'live trading')).toMatchObject({ status: 'fail' });
  });
});

describe('centaur status', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    const config = loadConfig({ API_PORT: '0', LOG_LEVEL: 'silent' });
    const log = createLogger({
      service: 'test',
      profileId: 'default',
      environment: 'paper',
      level: 'silent',
    });
    system = await startAllInOne(config, log, {
      databaseUrl: `sqlite:${join(dir, 'status.db')}`,
      simTickMs: 0,
    });
    await system.engine.ready();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('shows engine, trading state, account and positions from the API', async () => {
    const client = createApiClient(loadConfig({}), system.apiUrl);
    const text = formatStatus(
      await client.get('/state/profile'),
      await client.get('/state/account'),
      await client.get('/state/positions'),
    );
    expect(text).toContain('profile default (PAPER)');
    expect(text).toContain('trading state: ACTIVE');
    expect(text).toMatch(/AAPL\s+40/);
  });

  // The API runs in this process: the CLI runs asynchronously (runCentaur), never with spawnSync.
  const cli = (args: string[]) => runCentaur(args);

  it('kill-switch refuses a token that is not the environment, sending nothing', {
    timeout: centaurTimeout(1),
  }, async () => {
    const run = await cli(['kill-switch', '--confirm-token', 'LIVE', '--api', system.apiUrl]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('does not match the environment PAPER');
  });

  // Timeout: one run that waits for the kill switch to flatten the account.
  it('kill-switch flattens the account through the API and prints the report', {
    timeout: centaurTimeout(1, 30_000),
  }, async () => {
    const run = await cli([
      'kill-switch',
      '--confirm-token',
      'paper',
      '--reason',
      'cli test',
      '--api',
      system.apiUrl,
    ]);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { status: string; result: { flat: boolean } };
    expect(report.status).toBe('succeeded');
    expect(report.result.flat).toBe(true);
    const client = createApiClient(loadConfig({}), system.apiUrl);
    const positions = await client.get<{ positions: unknown[] }>('/state/positions');
    expect(positions.positions).toEqual([]);
  });

  it('explains an API that cannot be reached', async () => {
    const client = createApiClient(loadConfig({}), 'http://127.0.0.1:1');
    await expect(client.get('/state/profile')).rejects.toThrow(/cannot reach the Centaur API/);
  });
});
