/**
 * Configuration of `centaur earnings-calendar`, parsed once into a frozen object.
 * Precedence, per setting: command-line flags > the TOML file's `[earnings]` table > environment
 * variables > defaults. API keys come from the environment only (never from a TOML file that
 * might be committed). Every problem is reported at once, naming the flag, key or variable.
 */
import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import type { Environment } from '../../config/environment.js';
import { ToolConfigError } from './tool-errors.js';

export const DEFAULT_DAYS = 14;
export const MAX_DAYS = 90;

const symbolList = z
  .array(z.string().trim().min(1))
  .transform((list) => [...new Set(list.map((s) => s.toUpperCase()))]);

const csvSymbols = z.string().transform((s) => s.split(/[\s,]+/).filter((x) => x !== ''));
const days = z.coerce.number().int().min(1).max(MAX_DAYS);
const bool = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
]);

const EnvSchema = z.object({
  FMP_API_KEY: z.string().min(1).optional(),
  FINNHUB_API_KEY: z.string().min(1).optional(),
  BENZINGA_API_KEY: z.string().min(1).optional(),
  GOOGLE_CREDENTIALS_PATH: z.string().min(1).optional(),
  GOOGLE_TOKEN_PATH: z.string().min(1).optional(),
  GOOGLE_CALENDAR_ID: z.string().min(1).optional(),
  EARNINGS_DAYS: days.optional(),
  EARNINGS_SYMBOLS: csvSymbols.pipe(symbolList).optional(),
  EARNINGS_ICS_PATH: z.string().min(1).optional(),
  API_TOKEN: z.string().min(1).optional(),
});

const TomlSchema = z
  .object({
    days: days.optional(),
    symbols: symbolList.optional(),
    from_positions: z.url().optional(),
    export_ics: z.string().min(1).optional(),
    macro: z
      .object({
        enabled: z.boolean().optional(),
        countries: z.array(z.string()).optional(),
        min_importance: z.number().int().min(1).max(3).optional(),
      })
      .strict()
      .optional(),
    google: z
      .object({ enabled: z.boolean().optional(), calendar_id: z.string().min(1).optional() })
      .strict()
      .optional(),
  })
  .strict();

/** What commander hands over; every field optional (undefined = not given on the command line). */
export const FlagsSchema = z.object({
  days: days.optional(),
  symbols: csvSymbols.pipe(symbolList).optional(),
  fromPositions: z.url().optional(),
  exportIcs: z.string().min(1).optional(),
  dryRun: bool.optional(),
  macro: bool.optional(),
  googleSync: bool.optional(),
  config: z.string().min(1).optional(),
});
export type EarningsFlags = z.input<typeof FlagsSchema>;

export interface EarningsConfig {
  days: number;
  symbols: readonly string[];
  fromPositions: string | null;
  exportIcs: string | null;
  dryRun: boolean;
  keys: { fmp: string | null; finnhub: string | null; benzinga: string | null };
  macro: { enabled: boolean; countries: readonly string[]; minImportance: number };
  google: { enabled: boolean; calendarId: string; credentialsPath: string | null; tokenPath: string | null };
  apiToken: string | null;
}

function issues(prefix: string, error: z.ZodError): string[] {
  return error.issues.map((i) => `${prefix}${i.path.length ? i.path.join('.') : ''}: ${i.message}`);
}

/** Reads and parses the `[earnings]` table of a TOML file (a missing table is an empty one). */
export type ReadText = (path: string, encoding: 'utf8') => string;
const readText: ReadText = (path, encoding) => readFileSync(path, encoding);

export function readTomlTable(
  path: string,
  table: string,
  read: ReadText = readText,
): Record<string, unknown> {
  let text: string;
  try {
    text = read(path, 'utf8');
  } catch (error) {
    throw new ToolConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  try {
    const doc = parseToml(text) as Record<string, unknown>;
    return (doc[table] ?? {}) as Record<string, unknown>;
  } catch (error) {
    throw new ToolConfigError(`config file ${path} is not valid TOML: ${(error as Error).message}`);
  }
}

/** An empty variable (`FMP_API_KEY=` in .env) counts as unset. */
export function withoutEmpty(env: Environment): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((kv): kv is [string, string] => kv[1] !== undefined && kv[1].trim() !== ''),
  );
}

function parseAll(flags: EarningsFlags, env: Environment, toml: Record<string, unknown>) {
  const f = FlagsSchema.safeParse(flags);
  const e = EnvSchema.safeParse(withoutEmpty(env));
  const t = TomlSchema.safeParse(toml);
  const problems = [
    ...(f.success ? [] : issues('--', f.error)),
    ...(e.success ? [] : issues('', e.error)),
    ...(t.success ? [] : issues('[earnings] ', t.error)),
  ];
  if (!f.success || !e.success || !t.success) {
    throw new ToolConfigError(`invalid earnings-calendar configuration:\n  ${problems.join('\n  ')}`);
  }
  return { f: f.data, e: e.data, t: t.data };
}

/** Merges flags, TOML, environment and defaults into the frozen configuration. */
export function loadEarningsConfig(
  flags: EarningsFlags,
  env: Environment,
  read: ReadText = readText,
): EarningsConfig {
  const toml = flags.config ? readTomlTable(flags.config, 'earnings', read) : {};
  const { f, e, t } = parseAll(flags, env, toml);
  const keys = {
    fmp: e.FMP_API_KEY ?? null,
    finnhub: e.FINNHUB_API_KEY ?? null,
    benzinga: e.BENZINGA_API_KEY ?? null,
  };
  const config: EarningsConfig = {
    days: f.days ?? t.days ?? e.EARNINGS_DAYS ?? DEFAULT_DAYS,
    symbols: f.symbols ?? t.symbols ?? e.EARNINGS_SYMBOLS ?? [],
    fromPositions: f.fromPositions ?? t.from_positions ?? null,
    exportIcs: f.exportIcs ?? t.export_ics ?? e.EARNINGS_ICS_PATH ?? null,
    dryRun: f.dryRun ?? false,
    keys,
    macro: {
      enabled: f.macro ?? t.macro?.enabled ?? keys.benzinga !== null,
      countries: t.macro?.countries ?? ['USA'],
      minImportance: t.macro?.min_importance ?? 2,
    },
    google: {
      enabled: f.googleSync ?? t.google?.enabled ?? false,
      calendarId: t.google?.calendar_id ?? e.GOOGLE_CALENDAR_ID ?? 'primary',
      credentialsPath: e.GOOGLE_CREDENTIALS_PATH ?? null,
      tokenPath: e.GOOGLE_TOKEN_PATH ?? null,
    },
    apiToken: e.API_TOKEN ?? null,
  };
  checkRequirements(config);
  return Object.freeze(config);
}

function checkRequirements(config: EarningsConfig): void {
  const problems: string[] = [];
  if (config.symbols.length === 0 && config.fromPositions === null) {
    problems.push(
      'no symbols: pass --symbols, set symbols in [earnings], set EARNINGS_SYMBOLS, or use --from-positions',
    );
  }
  if (config.keys.fmp === null && config.keys.finnhub === null) {
    problems.push('no earnings source: set FMP_API_KEY (primary) or FINNHUB_API_KEY (fallback)');
  }
  if (config.macro.enabled && config.keys.benzinga === null) {
    problems.push('macro events are enabled but BENZINGA_API_KEY is not set');
  }
  if (config.google.enabled && config.google.credentialsPath === null) {
    problems.push('Google Calendar sync needs GOOGLE_CREDENTIALS_PATH');
  }
  if (config.google.enabled && config.google.tokenPath === null) {
    problems.push('Google Calendar sync needs GOOGLE_TOKEN_PATH');
  }
  if (problems.length > 0) {
    throw new ToolConfigError(`invalid earnings-calendar configuration:\n  ${problems.join('\n  ')}`);
  }
}
