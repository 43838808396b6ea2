/**
 * End-to-end tests of `centaur ark-holdings` through commander: the six CSVs are served from the
 * raw fixtures by a fake fetch, the baseline is a temporary folder, e-mail goes through
 * nodemailer's JSON transport. Checks the reports, the baseline roll-forward (only after a
 * successful run), the failure paths and the exit codes.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ArkCliDeps, registerArkHoldings } from '../../src/cli/commands/ark-holdings.js';
import { DEFAULT_URLS } from '../../src/tools/ark/ark-config.js';
import type { MailTransport } from '../../src/tools/ark/ark-email.js';
import { FIXTURES, fakeFetch, type Route, text } from './support/fake-fetch.js';

const FUNDS = ['ARKK', 'ARKQ', 'ARKG', 'ARKF', 'ARKW', 'ARKX'] as const;
const raw = (set: string, fund: string) =>
  readFileSync(join(FIXTURES, 'ark', 'raw', set, `${fund}.csv`), 'utf8');
const NOW = new Date('2025-11-01T08:00:00Z');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'centaur-ark-'));
  mkdirSync(join(dir, 'baseline'));
  for (const fund of FUNDS) {
    const set = fund === 'ARKW' || fund === 'ARKX' ? 'pair-old' : 'snapshots';
    copyFileSync(join(FIXTURES, 'ark', 'raw', set, `${fund}.csv`), join(dir, 'baseline', `${fund}.csv`));
  }
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Serves today's files: the "new" side of the pair for ARKW and ARKX, the snapshots for the rest. */
function arkRoutes(override: Partial<Record<string, () => Response>> = {}): Route[] {
  return FUNDS.map((fund) => ({
    match: (u: string) => u === DEFAULT_URLS[fund],
    respond:
      override[fund] ??
      (() => text(raw(fund === 'ARKW' || fund === 'ARKX' ? 'pair-new' : 'snapshots', fund))),
  }));
}

function harness(routes: Route[], env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const fake = fakeFetch(routes);
  const out: string[] = [];
  const err: string[] = [];
  const mails: { to: unknown; subject: string; text: string; attachments: unknown[] }[] = [];
  const json = nodemailer.createTransport({ jsonTransport: true });
  const transport: MailTransport = {
    sendMail: async (message) => {
      const info = await json.sendMail(message);
      mails.push(JSON.parse((info as unknown as { message: string }).message));
      return info;
    },
  };
  const deps: ArkCliDeps = {
    environment: () => Object.freeze({ ...env }),
    fetchFn: fake.fetchFn,
    now: () => NOW,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readText: (path) => files[path] ?? readFileSync(path, 'utf8'),
    transport,
  };
  const program = new Command('centaur').exitOverride();
  registerArkHoldings(program, deps);
  const run = async (...args: string[]) => {
    try {
      await program.parseAsync([
        'node',
        'centaur',
        'ark-holdings',
        '--baseline',
        join(dir, 'baseline'),
        '--report-dir',
        join(dir, 'reports'),
        ...args,
      ]);
      return null;
    } catch (error) {
      return error as Error & { exitCode?: number };
    }
  };
  return { run, calls: fake.calls, out, err, mails };
}

describe('centaur ark-holdings', () => {
  it('reports the ARKW and ARKX changes, writes both reports and rolls the baseline forward', async () => {
    const h = harness(arkRoutes());
    const error = await h.run();
    expect(error).toBeNull();
    const report = JSON.parse(readFileSync(join(dir, 'reports', 'ark-holdings-2025-10-31.json'), 'utf8'));
    const changed = report.funds.flatMap(
      (f: { changes: { fund: string; label: string; symbol: string }[] }) =>
        f.changes.map((c) => `${c.fund} ${c.label} ${c.symbol}`),
    );
    expect(changed).toEqual([
      'ARKW new AIRO',
      'ARKW buy TSLA',
      'ARKW sell ROKU',
      'ARKW exit SHOP',
      'ARKX new SKYW',
      'ARKX buy RKLB UQ',
      'ARKX sell AVAV',
    ]);
    expect(report.failures).toEqual([]);
    const md = readFileSync(join(dir, 'reports', 'ark-holdings-2025-10-31.md'), 'utf8');
    expect(md).toContain('## Summary across ETFs');
    expect(h.out.join('')).toBe(md);
    expect(readFileSync(join(dir, 'baseline', 'ARKW.csv'), 'utf8')).toBe(raw('pair-new', 'ARKW'));
    expect(readdirSync(join(dir, 'baseline')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(h.err.join('')).toContain('fetching ARKK (1/6)');
    expect(h.err.join('')).toContain('ARKW: 50 holdings as of 2025-10-31');
    expect(h.calls.every((c) => c.headers['user-agent']?.startsWith('Mozilla/5.0'))).toBe(true);
  });

  it('keeps the baseline and exits 1 when one fund fails, still reporting the others', async () => {
    const h = harness(arkRoutes({ ARKG: () => text('Service Unavailable', 503, {}) }));
    const error = await h.run();
    expect(error?.exitCode).toBe(1);
    expect(error?.message).toContain('1 fund(s) failed (ARKG); baseline not updated');
    expect(readFileSync(join(dir, 'baseline', 'ARKW.csv'), 'utf8')).toBe(raw('pair-old', 'ARKW'));
    const md = readFileSync(join(dir, 'reports', 'ark-holdings-2025-10-31.md'), 'utf8');
    expect(md).toContain(`- ARKG: ARKG: HTTP 503 from ${DEFAULT_URLS.ARKG}`);
  });

  it('names the line and column of a malformed CSV, and says when to retry after a 429', async () => {
    const broken = raw('snapshots', 'ARKQ').replace('"931,138"', '"931,13x"');
    const h = harness(
      arkRoutes({ ARKQ: () => text(broken), ARKF: () => text('', 429, { 'retry-after': '600' }) }),
    );
    const error = await h.run('--funds', 'ARKQ,ARKF');
    expect(error?.exitCode).toBe(1);
    const stderr = h.err.join('');
    expect(stderr).toContain(
      'ARKQ: failed: ARKQ CSV: line 3, column "shares": expected a number, got "931,13x"',
    );
    expect(stderr).toContain('ARKF: failed: ARKF: HTTP 429');
    expect(stderr).toContain('retry after 2025-11-01T08:10:00.000Z');
  });

  it('rejects a CSV that holds another fund', async () => {
    const h = harness(arkRoutes({ ARKK: () => text(raw('snapshots', 'ARKW')) }));
    const error = await h.run('--funds', 'ARKK');
    expect(error?.exitCode).toBe(1);
    expect(h.err.join('')).toContain('holds fund ARKW');
  });

  it('dry run: prints the report, writes nothing, keeps the baseline, sends nothing', async () => {
    const h = harness(arkRoutes());
    const error = await h.run('--dry-run', '--funds', 'ARKX');
    expect(error).toBeNull();
    expect(h.out.join('')).toContain('| NEW | SKYW |');
    expect(existsSync(join(dir, 'reports'))).toBe(false);
    expect(readFileSync(join(dir, 'baseline', 'ARKX.csv'), 'utf8')).toBe(raw('pair-old', 'ARKX'));
  });

  it('e-mails the report to the TOML recipients before rolling the baseline forward', async () => {
    const env = {
      EMAIL_HOST: 'smtp.example.com',
      EMAIL_FROM: 'centaur@example.com',
      EMAIL_USER: 'u',
      EMAIL_PASSWORD: 'smtp-SECRET',
    };
    const toml =
      '[ark]\nfunds = ["ARKW"]\n[ark.email]\nenabled = true\nrecipients = ["me@example.com", "you@example.com"]\n';
    const h = harness(arkRoutes(), env, { '/cfg/tools.toml': toml });
    const error = await h.run('--config', '/cfg/tools.toml');
    expect(error).toBeNull();
    expect(h.mails).toHaveLength(1);
    const mail = h.mails[0]!;
    expect(mail.subject).toBe('ARK ETF holdings changes — 2025-10-31');
    expect(mail.text).toContain('| BUY | TSLA |');
    expect(JSON.stringify(mail.to)).toContain('you@example.com');
    expect(mail.attachments).toHaveLength(1);
    expect(readFileSync(join(dir, 'baseline', 'ARKW.csv'), 'utf8')).toBe(raw('pair-new', 'ARKW'));
    expect([...h.out, ...h.err].join('')).not.toContain('smtp-SECRET');
  });

  it('keeps the baseline when the e-mail fails, without showing the SMTP password', async () => {
    const env = {
      EMAIL_HOST: 'smtp.example.com',
      EMAIL_FROM: 'centaur@example.com',
      EMAIL_PASSWORD: 'smtp-SECRET',
    };
    const toml = '[ark.email]\nenabled = true\nrecipients = ["me@example.com"]\n';
    const h = harness(arkRoutes(), env, { '/cfg/tools.toml': toml });
    const deps = { sendMail: async () => Promise.reject(new Error('535 auth failed for smtp-SECRET')) };
    const program = new Command('centaur').exitOverride();
    registerArkHoldings(program, {
      environment: () => env,
      fetchFn: fakeFetch(arkRoutes()).fetchFn,
      now: () => NOW,
      stdout: () => {},
      stderr: () => {},
      readText: () => toml,
      transport: deps,
    });
    const args = [
      'node',
      'centaur',
      'ark-holdings',
      '--baseline',
      join(dir, 'baseline'),
      '--report-dir',
      join(dir, 'r'),
      '--config',
      'x',
    ];
    const error = await program.parseAsync(args).then(
      () => null,
      (e: Error & { exitCode?: number }) => e,
    );
    expect(h.mails).toHaveLength(0);
    expect(error?.exitCode).toBe(1);
    expect(error?.message).toBe('e-mail to me@example.com failed: 535 auth failed for ***');
    expect(readFileSync(join(dir, 'baseline', 'ARKW.csv'), 'utf8')).toBe(raw('pair-old', 'ARKW'));
  });

  it('treats a first run as a baseline, not as a list of new holdings', async () => {
    rmSync(join(dir, 'baseline', 'ARKK.csv'));
    const h = harness(arkRoutes());
    expect(await h.run('--funds', 'ARKK')).toBeNull();
    expect(h.out.join('')).toContain('no baseline yet');
    expect(readFileSync(join(dir, 'baseline', 'ARKK.csv'), 'utf8')).toBe(raw('snapshots', 'ARKK'));
  });

  it('exits 2 on bad configuration, naming what is wrong', async () => {
    const h = harness(arkRoutes());
    const bad = await h.run('--funds', 'ARKZ', '--share-threshold', '-1');
    expect(bad?.exitCode).toBe(2);
    expect(bad?.message).toContain('--funds');
    expect(bad?.message).toContain('--shareThreshold');
    const noMail = await harness(arkRoutes()).run('--email');
    expect(noMail?.exitCode).toBe(2);
    expect(noMail?.message).toContain('EMAIL_HOST');
    expect(noMail?.message).toContain('recipients');
    writeFileSync(join(dir, 'bad.toml'), '[ark]\nfunds = [');
    expect((await harness(arkRoutes()).run('--config', join(dir, 'bad.toml')))?.message).toContain(
      'not valid TOML',
    );
    expect(h.calls).toHaveLength(0);
  });
});
