/**
 * `centaur ark-holdings`: fetch ARK's daily holdings CSVs, diff them against the baseline folder,
 * write markdown and JSON reports, optionally e-mail them, then roll the baseline forward.
 * Progress goes to stderr, the markdown report to stdout. Errors carry their exit code
 * (2 configuration, 1 run time), which src/cli/main.ts turns into the process exit code.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { type Environment, readEnvironment } from '../../config/environment.js';
import { folderBaseline, writeAtomic } from '../../tools/ark/ark-baseline.js';
import { type ArkFlags, loadArkConfig } from '../../tools/ark/ark-config.js';
import { type MailTransport, smtpTransport } from '../../tools/ark/ark-email.js';
import { runArkHoldings } from '../../tools/ark/ark-run.js';

export interface ArkCliDeps {
  environment: () => Environment;
  fetchFn: typeof fetch;
  now: () => Date;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readText: (path: string, encoding: 'utf8') => string;
  /** Builds the mail transport; null means SMTP from the EMAIL_* settings. */
  transport: MailTransport | null;
}

export function defaultArkDeps(): ArkCliDeps {
  return {
    environment: () => readEnvironment(),
    fetchFn: globalThis.fetch,
    now: () => new Date(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readText: (path, encoding) => readFileSync(path, encoding),
    transport: null,
  };
}

function writeReport(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeAtomic(path, text);
}

export function registerArkHoldings(program: Command, deps: ArkCliDeps): void {
  program
    .command('ark-holdings')
    .description("Diff ARK ETFs' daily holdings (ARKK, ARKQ, ARKG, ARKF, ARKW, ARKX) against a baseline")
    .option('--funds <list>', 'comma-separated funds (default: all six)')
    .option('--baseline <dir>', 'baseline folder, one <FUND>.csv each (default data/ark/baseline)')
    .option('--report-dir <dir>', 'where the markdown and JSON reports go (default data/ark/reports)')
    .option('--share-threshold <pct>', 'minimum share change, percent, for a buy or sell (default 1)')
    .option('--weight-threshold <pp>', 'minimum weight change, percentage points, for drift (default 0.1)')
    .option('--email', 'e-mail the report (EMAIL_* variables, [ark.email] recipients)')
    .option('--no-email', 'do not e-mail, whatever the TOML file says')
    .option('--dry-run', 'fetch and print the report; write nothing, send nothing, keep the baseline')
    .option('--config <toml>', 'TOML file with an [ark] table')
    .addHelpText('after', '\nPrecedence: flags > TOML [ark] > environment > defaults. See docs/tools.md.')
    .action(async (options: ArkFlags) => {
      const config = loadArkConfig(options, deps.environment(), deps.readText);
      await runArkHoldings(config, {
        fetchFn: deps.fetchFn,
        now: deps.now,
        progress: (line) => deps.stderr(`${line}\n`),
        output: deps.stdout,
        baseline: folderBaseline(config.baselineDir),
        writeReport,
        transport: () => deps.transport ?? smtpTransport(config.email.smtp!),
      });
    });
}

export function register(program: Command): void {
  registerArkHoldings(program, defaultArkDeps());
}
