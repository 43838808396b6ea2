import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve('bin/centaur.js');

function centaur(
  args: string[],
  env: Record<string, string> = {},
  cwd = mkdtempSync(join(tmpdir(), 'centaur-cli-')),
) {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr, cwd };
}

describe('centaur migrate', () => {
  it('applies the migrations once; the second run is a no-op', () => {
    const first = centaur(['migrate']);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/applied \d+ migration\(s\)/);
    const second = centaur(['migrate'], {}, first.cwd);
    expect(second.code).toBe(0);
    expect(second.out).toContain('is up to date; nothing to apply');
  });

  it('exits 2 with a clear message on a malformed DATABASE_URL', () => {
    const run = centaur(['migrate'], { DATABASE_URL: 'mysql://root@localhost/db' });
    expect(run.code).toBe(2);
    expect(run.err).toContain('DATABASE_URL: expected sqlite:<path> or postgres://');
  });

  it('exits 2 naming the database when it cannot be reached, password masked', () => {
    const run = centaur(['migrate'], { DATABASE_URL: 'postgres://someone:hunter2@127.0.0.1:1/centaur' });
    expect(run.code).toBe(2);
    expect(run.err).toContain('cannot open the database at postgres://someone:');
    expect(run.err).not.toContain('hunter2');
  });
});

describe('centaur config and --help', () => {
  it('prints the effective configuration with secrets masked', () => {
    const run = centaur(['config'], {
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

  it('exits 2 and names every bad variable', () => {
    const run = centaur(['config'], { API_PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(run.code).toBe(2);
    expect(run.err).toContain('API_PORT');
    expect(run.err).toContain('LOG_LEVEL');
  });

  it('lists the subcommands in --help and exits 0', () => {
    const run = centaur(['--help']);
    expect(run.code).toBe(0);
    for (const name of ['config', 'migrate']) expect(run.out).toContain(name);
  });
});
