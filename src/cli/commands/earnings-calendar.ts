/**
 * `centaur earnings-calendar`: upcoming earnings (FMP, Finnhub fallback) and optional macro
 * events (Benzinga) for a symbol list, exported to ICS and/or synced to Google Calendar.
 * Progress goes to stderr, results to stdout. Errors carry their exit code (2 for configuration,
 * 1 at run time), which src/cli/main.ts turns into the process exit code.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type Environment, readEnvironment } from '../../config/environment.js';
import { type EarningsFlags, loadEarningsConfig } from '../../tools/earnings/earnings-config.js';
import { runEarningsCalendar, writeFileAtomic } from '../../tools/earnings/earnings-run.js';

export interface EarningsCliDeps {
  environment: () => Environment;
  fetchFn: typeof fetch;
  now: () => Date;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  writeFile: (path: string, text: string) => void;
  readText: (path: string, encoding: 'utf8') => string;
}

export function defaultEarningsDeps(): EarningsCliDeps {
  return {
    environment: () => readEnvironment(),
    fetchFn: globalThis.fetch,
    now: () => new Date(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    writeFile: writeFileAtomic,
    readText: (path, encoding) => readFileSync(path, encoding),
  };
}

export function registerEarningsCalendar(program: Command, deps: EarningsCliDeps): void {
  program
    .command('earnings-calendar')
    .description(
      'Upcoming earnings dates (FMP, Finnhub fallback) and macro events (Benzinga) as ICS or Google Calendar',
    )
    .option('--days <n>', 'days ahead to look, 1-90 (default 14)')
    .option('--symbols <list>', 'comma-separated symbols, e.g. AAPL,MSFT')
    .option('--from-positions <url>', "add the symbols held, from Centaur's API (GET <url>/state/positions)")
    .option('--export-ics <file>', 'write an RFC 5545 calendar file')
    .option(
      '--google-sync',
      'sync the events to Google Calendar (GOOGLE_CREDENTIALS_PATH, GOOGLE_TOKEN_PATH)',
    )
    .option('--macro', 'include macro events from Benzinga (default: when BENZINGA_API_KEY is set)')
    .option('--no-macro', 'leave macro events out')
    .option('--dry-run', 'fetch and show what would change; write no file, change no calendar')
    .option('--config <toml>', 'TOML file with an [earnings] table')
    .addHelpText(
      'after',
      '\nPrecedence: flags > TOML [earnings] > environment > defaults. See docs/tools.md.',
    )
    .action(async (options: EarningsFlags) => {
      const config = loadEarningsConfig(options, deps.environment(), deps.readText);
      await runEarningsCalendar(config, {
        fetchFn: deps.fetchFn,
        now: deps.now,
        progress: (line) => deps.stderr(`${line}\n`),
        output: deps.stdout,
        writeFile: deps.writeFile,
        readText: deps.readText,
      });
    });
}

export function register(program: Command): void {
  registerEarningsCalendar(program, defaultEarningsDeps());
}
