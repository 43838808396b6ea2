/**
 * Configuration of `centaur ark-holdings`, parsed once into a frozen object. Precedence:
 * flags > the TOML file's `[ark]` table > environment > defaults. SMTP settings come from the
 * `EMAIL_*` variables, the recipients from the TOML file (`[ark.email] recipients`).
 */
import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import type { Environment } from '../../config/environment.js';
import { isDecimal } from '../../core/decimal.js';
import { ArkConfigError } from './ark-errors.js';
import { ARK_FUNDS, type ArkFund, type Thresholds } from './ark-types.js';

const BASE = 'https://assets.ark-funds.com/fund-documents/funds-etf-csv';
export const DEFAULT_URLS: Record<ArkFund, string> = {
  ARKK: `${BASE}/ARK_INNOVATION_ETF_ARKK_HOLDINGS.csv`,
  ARKQ: `${BASE}/ARK_AUTONOMOUS_TECH._&_ROBOTICS_ETF_ARKQ_HOLDINGS.csv`,
  ARKG: `${BASE}/ARK_GENOMIC_REVOLUTION_ETF_ARKG_HOLDINGS.csv`,
  ARKF: `${BASE}/ARK_FINTECH_INNOVATION_ETF_ARKF_HOLDINGS.csv`,
  ARKW: `${BASE}/ARK_NEXT_GENERATION_INTERNET_ETF_ARKW_HOLDINGS.csv`,
  ARKX: `${BASE}/ARK_SPACE_EXPLORATION_&_INNOVATION_ETF_ARKX_HOLDINGS.csv`,
};

const fund = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.enum(ARK_FUNDS));
const fundList = z.array(fund).min(1);
const csvFunds = z.string().transform((s) => s.split(/[\s,]+/).filter((x) => x !== ''));
const nonNegative = z.coerce
  .string()
  .refine((s) => isDecimal(s) && !s.trim().startsWith('-'), 'expected a non-negative number');
const bool = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
]);

const EnvSchema = z.object({
  ARK_FUNDS: csvFunds.pipe(fundList).optional(),
  ARK_BASELINE_DIR: z.string().min(1).optional(),
  ARK_REPORT_DIR: z.string().min(1).optional(),
  ARK_SHARE_THRESHOLD_PCT: nonNegative.optional(),
  ARK_WEIGHT_THRESHOLD_PP: nonNegative.optional(),
  EMAIL_HOST: z.string().min(1).optional(),
  EMAIL_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  EMAIL_SECURE: bool.optional(),
  EMAIL_USER: z.string().min(1).optional(),
  EMAIL_PASSWORD: z.string().min(1).optional(),
  EMAIL_FROM: z.string().min(3).optional(),
});

const TomlSchema = z
  .object({
    funds: fundList.optional(),
    baseline_dir: z.string().min(1).optional(),
    report_dir: z.string().min(1).optional(),
    share_threshold_pct: nonNegative.optional(),
    weight_threshold_pp: nonNegative.optional(),
    urls: z.partialRecord(fund, z.url()).optional(),
    email: z
      .object({
        enabled: z.boolean().optional(),
        recipients: z.array(z.email()).optional(),
        subject: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const ArkFlagsSchema = z.object({
  config: z.string().min(1).optional(),
  funds: csvFunds.pipe(fundList).optional(),
  baseline: z.string().min(1).optional(),
  reportDir: z.string().min(1).optional(),
  shareThreshold: nonNegative.optional(),
  weightThreshold: nonNegative.optional(),
  email: bool.optional(),
  dryRun: bool.optional(),
});
export type ArkFlags = z.input<typeof ArkFlagsSchema>;

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
}

export interface ArkConfig {
  funds: readonly ArkFund[];
  urls: Readonly<Record<ArkFund, string>>;
  baselineDir: string;
  reportDir: string;
  thresholds: Thresholds;
  dryRun: boolean;
  email: { enabled: boolean; recipients: readonly string[]; subject: string; smtp: SmtpSettings | null };
}

export type ReadText = (path: string, encoding: 'utf8') => string;
const readText: ReadText = (path, encoding) => readFileSync(path, encoding);

function readToml(path: string, read: ReadText): unknown {
  let text: string;
  try {
    text = read(path, 'utf8');
  } catch (error) {
    throw new ArkConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  try {
    return (parseToml(text) as Record<string, unknown>).ark ?? {};
  } catch (error) {
    throw new ArkConfigError(`config file ${path} is not valid TOML: ${(error as Error).message}`);
  }
}

function problemsOf(prefix: string, result: { success: boolean; error?: z.ZodError }): string[] {
  return result.success ? [] : result.error!.issues.map((i) => `${prefix}${i.path.join('.')}: ${i.message}`);
}

function smtpFrom(e: z.infer<typeof EnvSchema>): SmtpSettings | null {
  if (!e.EMAIL_HOST || !e.EMAIL_FROM) return null;
  const port = e.EMAIL_PORT ?? 587;
  return {
    host: e.EMAIL_HOST,
    port,
    secure: e.EMAIL_SECURE ?? port === 465,
    user: e.EMAIL_USER ?? null,
    password: e.EMAIL_PASSWORD ?? null,
    from: e.EMAIL_FROM,
  };
}

export function loadArkConfig(flags: ArkFlags, env: Environment, read: ReadText = readText): ArkConfig {
  const f = ArkFlagsSchema.safeParse(flags);
  const e = EnvSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== '')),
  );
  const t = TomlSchema.safeParse(flags.config ? readToml(flags.config, read) : {});
  if (!f.success || !e.success || !t.success) {
    const problems = [...problemsOf('--', f), ...problemsOf('', e), ...problemsOf('[ark] ', t)];
    throw new ArkConfigError(`invalid ark-holdings configuration:\n  ${problems.join('\n  ')}`);
  }
  const [fl, en, tm] = [f.data, e.data, t.data];
  const email = {
    enabled: fl.email ?? tm.email?.enabled ?? false,
    recipients: tm.email?.recipients ?? [],
    subject: tm.email?.subject ?? 'ARK ETF holdings changes',
    smtp: smtpFrom(en),
  };
  const problems: string[] = [];
  if (email.enabled && !en.EMAIL_HOST) problems.push('e-mail is enabled but EMAIL_HOST is not set');
  if (email.enabled && !en.EMAIL_FROM) problems.push('e-mail is enabled but EMAIL_FROM is not set');
  if (email.enabled && email.recipients.length === 0)
    problems.push('e-mail is enabled but [ark.email] recipients is empty');
  if (problems.length > 0)
    throw new ArkConfigError(`invalid ark-holdings configuration:\n  ${problems.join('\n  ')}`);
  return Object.freeze({
    funds: [...new Set(fl.funds ?? tm.funds ?? en.ARK_FUNDS ?? ARK_FUNDS)],
    urls: { ...DEFAULT_URLS, ...tm.urls },
    baselineDir: fl.baseline ?? tm.baseline_dir ?? en.ARK_BASELINE_DIR ?? 'data/ark/baseline',
    reportDir: fl.reportDir ?? tm.report_dir ?? en.ARK_REPORT_DIR ?? 'data/ark/reports',
    thresholds: {
      sharePct: fl.shareThreshold ?? tm.share_threshold_pct ?? en.ARK_SHARE_THRESHOLD_PCT ?? '1',
      weightPoints: fl.weightThreshold ?? tm.weight_threshold_pp ?? en.ARK_WEIGHT_THRESHOLD_PP ?? '0.1',
    },
    dryRun: fl.dryRun ?? false,
    email,
  });
}
