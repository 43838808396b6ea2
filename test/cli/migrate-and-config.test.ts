import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { centaurTimeout, runCentaur } from '../support/cli.js';

async function centaur(
  args: string[],
  env: Record<string, string> = {},
  cwd = mkdtempSync(join(tmpdir(), 'centaur-cli-')),
) {
  const run = await runCentaur(args, { cwd, home: true, env: { LOG_LEVEL: 'info', ...env } });
  return { code: run.status, out: run.stdout, err: run.stderr, cwd };
}

describe('centaur migrate', () => {
  it('applies the migrations once; the second run is a no-op', { timeout: centaurTimeout(2) }, async () => {
    const first = await centaur(['migrate']);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/applied \d+ migration\(s\)/);
    const second = await centaur(['migrate'], {}, first.cwd);
    expect(second.code).toBe(0);
    expect(second.out).toContain('is up to date; nothing to apply');
  });

  it('exits 2 with a clear message on a malformed DATABASE_URL', { timeout: centaurTimeout(1) }, async () => {
    const run = await centaur(['migrate'], { DATABASE_URL: 'mysql://root@localhost/db' });
    expect(run.code).toBe(2);
    expect(run.err).toContain('DATABASE_URL: expected sqlite:<path> or postgres://');
  });

  it('exits 2 naming the database when it cannot be reached, password masked', {
    timeout: centaurTimeout(1),
  }, async () => {
    const run = await centaur(['migrate'], {
      DATABASE_URL: 'postgres://someone:hunter2@127.0.0.1:1/centaur',
    });
    expect(run.code).toBe(2);
    expect(run.err).toContain('cannot open the database at postgres://someone:');
    expect(run.err).not.toContain('hunter2');
  });
});

describe('centaur config and --help', () => {
  it('prints the effective configuration with secrets masked', { timeout: centaurTimeout(1) }, async () => {
    const run = await centaur(['config'], {
      ALPACA_API_KEY: 'AKCLITESTKEY00001',
      ALPACA_API_SECRET: 'CLITESTSECRET000002',
    });
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.out) as { broker: { mode: string; keyId: string } };
    expect(printed.broker.mode).toBe('alpaca');
    expect(printed.broker.keyId).toBe('********');
    expect(run.out + run.err).not.toContain('CLITESTSECRET000002');
    expect(run.out + run.err).not.toContain('AKCLITESTKEY00001');
  });

  it('exits 2 and names every bad variable', { timeout: centaurTimeout(1) }, async () => {
    const run = await centaur(['config'], { API_PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(run.code).toBe(2);
    expect(run.err).toContain('API_PORT');
    expect(run.err).toContain('LOG_LEVEL');
  });

  it('lists the subcommands in --help and exits 0', { timeout: centaurTimeout(1) }, async () => {
    const run = await centaur(['--help']);
    expect(run.code).toBe(0);
    for (const name of ['config', 'migrate']) expect(run.out).toContain(name);
  });
});
