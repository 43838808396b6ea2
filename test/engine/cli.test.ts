// `centaur engine` refuses to start, with a clear message and its exit code, when it has no broker
// keys (2) or the database has pending migrations (4).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { centaurTimeout, runCentaur } from '../support/cli.js';

async function engine(env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), 'centaur-engine-cli-'));
  const run = await runCentaur(['engine'], { cwd, home: true, env: { LOG_LEVEL: 'warn', ...env } });
  return { code: run.status, err: run.stderr + run.stdout };
}

describe('centaur engine refusals', () => {
  it('exits 2 without broker keys and says how to point it at a simulator', {
    timeout: centaurTimeout(1),
  }, async () => {
    const run = await engine({});
    expect(run.code).toBe(2);
    expect(run.err).toContain('ALPACA_API_KEY');
    expect(run.err).toContain('centaur sim');
  });

  it('exits 4 when the database has pending migrations, naming `centaur migrate`', {
    timeout: centaurTimeout(1),
  }, async () => {
    const run = await engine({
      ALPACA_API_KEY: 'SIMKEY',
      ALPACA_API_SECRET: 'SIMSECRET',
      ALPACA_TRADING_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(run.code).toBe(4);
    expect(run.err).toContain('centaur migrate');
  });
});
