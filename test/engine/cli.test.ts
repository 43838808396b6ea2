// `centaur engine` refuses to start, with a clear message and its exit code, when it has no broker
// keys (2) or the database has pending migrations (4).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve('bin/centaur.js');

function engine(env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), 'centaur-engine-cli-'));
  const run = spawnSync(process.execPath, [BIN, 'engine'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: run.status, err: run.stderr + run.stdout };
}

describe('centaur engine refusals', () => {
  it('exits 2 without broker keys and says how to point it at a simulator', () => {
    const run = engine({});
    expect(run.code).toBe(2);
    expect(run.err).toContain('ALPACA_API_KEY');
    expect(run.err).toContain('centaur sim');
  });

  it('exits 4 when the database has pending migrations, naming `centaur migrate`', () => {
    const run = engine({
      ALPACA_API_KEY: 'SIMKEY',
      ALPACA_API_SECRET: 'SIMSECRET',
      ALPACA_TRADING_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(run.code).toBe(4);
    expect(run.err).toContain('centaur migrate');
  });
});
