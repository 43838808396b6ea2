/**
 * Centaur's configuration: one zod schema over the environment (and an optional `.env`, read by
 * environment.ts). Parsing reports every bad variable at once, derives the trading stream URL
 * from the trading base URL, refuses a paper flag that contradicts a known Alpaca host, warns
 * about unknown ALPACA_*, ENGINE_* and RISK_* variables, and returns a frozen, typed result.
 * Around it: variables.ts (names, aliases, typo warnings), schema-parts.ts (value shapes),
 * api-access.ts (allowed hosts, live needs API_TOKEN) and url-secrets.ts (the one URL masker,
 * used by describeConfig for `centaur config`).
 */
import { z } from 'zod';
import type { RiskLimits } from '../core/risk/risk-types.js';
import { apiStartIssues, hostList, isLoopback } from './api-access.js';
import type { Environment } from './environment.js';
import {
  bool,
  decimalAmount,
  httpUrl,
  lossLimit,
  positiveNumber,
  symbolList,
  wholeNumber,
} from './schema-parts.js';
import { Secret } from './secret.js';
import { maskUrlCredentials, maskWebhookUrl } from './url-secrets.js';
import { type ConfigIssue, collect, unknownVariables } from './variables.js';

export const ALPACA_PAPER_URL = 'https://paper-api.alpaca.markets';
export const ALPACA_LIVE_URL = 'https://api.alpaca.markets';
export const ALPACA_DATA_URL = 'https://data.alpaca.markets';
export const DEFAULT_PAPER_DATABASE = 'sqlite:./data/centaur.db';
export const DEFAULT_LIVE_DATABASE = 'sqlite:./data/centaur-live.db';

const schema = z.object({
  ALPACA_API_KEY: z.string().trim().min(1, 'must not be empty').optional(),
  ALPACA_API_SECRET: z.string().trim().min(1, 'must not be empty').optional(),
  ALPACA_TRADING_BASE_URL: httpUrl.optional(),
  ALPACA_DATA_BASE_URL: httpUrl.default(ALPACA_DATA_URL),
  ALPACA_PAPER_TRADING: bool.default(true),
  ALPACA_DATA_FEED: z.enum(['iex', 'sip'], { message: 'expected iex or sip' }).default('iex'),
  CENTAUR_LIVE_TRADING: z
    .enum(['enabled', 'disabled'], { message: 'expected enabled or disabled' })
    .default('disabled'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'expected sqlite:<path> or postgres://user@host:port/db')
    .optional(),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\/.+/, 'expected redis://host:port')
    .optional(),
  COMMAND_QUEUE_NAME: z.string().trim().min(1, 'must not be empty').default('centaur:commands'),
  ENGINE_PROFILE_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1-64 letters, digits, _ or -')
    .default('default'),
  ENGINE_POLL_INTERVAL_SECONDS: positiveNumber(3600).default(10),
  ENGINE_SYNC_MIN_INTERVAL_SECONDS: positiveNumber(600).default(3),
  ENGINE_ENABLE_TRADING_WS: bool.default(true),
  ENGINE_TRADING_WS_MAX_BACKOFF_SECONDS: positiveNumber(3600).default(30),
  API_HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
  API_PORT: z
    .string()
    .trim()
    .regex(/^\d+$/, 'expected a port number')
    .transform(Number)
    .refine((v) => v >= 0 && v <= 65535, 'expected a port between 0 and 65535')
    .default(8000),
  API_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  API_ALLOWED_HOSTS: hostList.optional(),
  DRAFT_TTL_SECONDS: positiveNumber(3600).default(60),
  RISK_SYMBOL_ALLOWLIST: symbolList.default([]),
  RISK_SYMBOL_DENYLIST: symbolList.default([]),
  RISK_MAX_ORDER_QTY: decimalAmount.default('1000'),
  RISK_MAX_ORDER_NOTIONAL: decimalAmount.default('10000'),
  RISK_MAX_POSITION_NOTIONAL: decimalAmount.default('25000'),
  RISK_MAX_POSITION_PCT_EQUITY: decimalAmount.default('25'),
  RISK_MAX_OPEN_ORDERS: wholeNumber.default(20),
  RISK_MAX_ORDERS_PER_MINUTE: wholeNumber.default(10),
  RISK_ALLOW_SHORT: bool.default(false),
  RISK_PRICE_COLLAR_PCT: decimalAmount.default('10'),
  RISK_ALLOW_EXTENDED_HOURS: bool.default(false),
  RISK_MAX_DAILY_LOSS: lossLimit.default({ kind: 'percent', value: '3' }),
  RISK_FLATTEN_ON_DAILY_LOSS: bool.default(false),
  KILL_SWITCH_SUSPEND_BROKER: bool.default(false),
  NOTIFY_WEBHOOK_URL: httpUrl.optional(),
  NOTIFY_STREAM_DOWN_SECONDS: positiveNumber(86_400).default(60),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'expected fatal, error, warn, info, debug, trace or silent',
    })
    .default('info'),
});

export interface Config {
  environment: 'paper' | 'live';
  profileId: string;
  broker: {
    /** `simulator` when no keys are configured: the embedded paper broker. */
    mode: 'simulator' | 'alpaca';
    paper: boolean;
    keyId: Secret | null;
    secret: Secret | null;
    tradingBaseUrl: string;
    streamUrl: string;
    dataBaseUrl: string;
    dataFeed: 'iex' | 'sip';
    liveTradingEnabled: boolean;
  };
  database: { url: string; dialect: 'sqlite' | 'postgres' };
  bus: { kind: 'redis' | 'embedded'; redisUrl: string | null; queueName: string; streamName: string };
  engine: {
    pollIntervalSeconds: number;
    syncMinIntervalSeconds: number;
    enableTradingWs: boolean;
    tradingWsMaxBackoffSeconds: number;
  };
  api: {
    host: string;
    port: number;
    token: Secret | null;
    /** API_ALLOWED_HOSTS, normalized: host names served besides loopback and API_HOST. */
    allowedHosts: readonly string[];
  };
  draftTtlSeconds: number;
  risk: RiskLimits & { flattenOnDailyLoss: boolean };
  killSwitch: { suspendBroker: boolean };
  notify: { webhookUrl: string | null; streamDownSeconds: number };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Likely typos: unknown ALPACA_*, ENGINE_* and RISK_* variables. */
  warnings: readonly string[];
}

export type { ConfigIssue, VariableName } from './variables.js';
export { registerKnownVariables, VARIABLES } from './variables.js';

export class ConfigError extends Error {
  readonly exitCode = 2;
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${i.variable}: ${i.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** The trade_updates stream URL of a trading base URL: same host, ws(s) scheme, path /stream. */
export function streamUrlFor(tradingBaseUrl: string): string {
  const url = new URL(tradingBaseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/stream`;
  url.search = '';
  return url.toString();
}

function checkPaperAgainstUrl(paper: boolean, baseUrl: string | undefined, issues: ConfigIssue[]): void {
  if (baseUrl === undefined) return;
  const host = new URL(baseUrl).host;
  if (paper && host === new URL(ALPACA_LIVE_URL).host) {
    issues.push({
      variable: 'ALPACA_PAPER_TRADING',
      message: `is true but ALPACA_TRADING_BASE_URL points at live trading (${maskUrlCredentials(baseUrl)}); set ALPACA_PAPER_TRADING=false for live or use ${ALPACA_PAPER_URL}`,
    });
  }
  if (!paper && host === new URL(ALPACA_PAPER_URL).host) {
    issues.push({
      variable: 'ALPACA_PAPER_TRADING',
      message: `is false but ALPACA_TRADING_BASE_URL points at paper trading (${maskUrlCredentials(baseUrl)})`,
    });
  }
}

/** Parses the configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: Environment): Readonly<Config> {
  const issues: ConfigIssue[] = [];
  const raw = collect(env, issues);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({ variable: String(issue.path[0] ?? '(environment)'), message: issue.message });
    }
    throw new ConfigError(issues);
  }
  const v = parsed.data;
  if ((v.ALPACA_API_KEY === undefined) !== (v.ALPACA_API_SECRET === undefined)) {
    const missing = v.ALPACA_API_KEY === undefined ? 'ALPACA_API_KEY' : 'ALPACA_API_SECRET';
    issues.push({ variable: missing, message: 'is required when the other Alpaca credential is set' });
  }
  checkPaperAgainstUrl(v.ALPACA_PAPER_TRADING, v.ALPACA_TRADING_BASE_URL, issues);
  if (!isLoopback(v.API_HOST) && v.API_TOKEN === undefined) {
    issues.push({
      variable: 'API_TOKEN',
      message: `is required when API_HOST (${v.API_HOST}) is not a loopback address`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return freeze(build(v, unknownVariables(env)));
}

type Parsed = z.infer<typeof schema>;

function build(v: Parsed, warnings: string[]): Config {
  const tradingBaseUrl =
    v.ALPACA_TRADING_BASE_URL ?? (v.ALPACA_PAPER_TRADING ? ALPACA_PAPER_URL : ALPACA_LIVE_URL);
  const hasKeys = v.ALPACA_API_KEY !== undefined && v.ALPACA_API_SECRET !== undefined;
  // Paper and live keep separate ledgers unless DATABASE_URL says otherwise.
  const databaseUrl =
    v.DATABASE_URL ?? (v.ALPACA_PAPER_TRADING ? DEFAULT_PAPER_DATABASE : DEFAULT_LIVE_DATABASE);
  return {
    environment: v.ALPACA_PAPER_TRADING ? 'paper' : 'live',
    profileId: v.ENGINE_PROFILE_ID,
    broker: {
      mode: hasKeys ? 'alpaca' : 'simulator',
      paper: v.ALPACA_PAPER_TRADING,
      keyId: v.ALPACA_API_KEY === undefined ? null : new Secret(v.ALPACA_API_KEY),
      secret: v.ALPACA_API_SECRET === undefined ? null : new Secret(v.ALPACA_API_SECRET),
      tradingBaseUrl,
      streamUrl: streamUrlFor(tradingBaseUrl),
      dataBaseUrl: v.ALPACA_DATA_BASE_URL,
      dataFeed: v.ALPACA_DATA_FEED,
      liveTradingEnabled: v.CENTAUR_LIVE_TRADING === 'enabled',
    },
    database: { url: databaseUrl, dialect: databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres' },
    bus: {
      kind: v.REDIS_URL === undefined ? 'embedded' : 'redis',
      redisUrl: v.REDIS_URL ?? null,
      queueName: v.COMMAND_QUEUE_NAME,
      streamName: `${v.COMMAND_QUEUE_NAME}:${v.ENGINE_PROFILE_ID}`,
    },
    engine: {
      pollIntervalSeconds: v.ENGINE_POLL_INTERVAL_SECONDS,
      syncMinIntervalSeconds: v.ENGINE_SYNC_MIN_INTERVAL_SECONDS,
      enableTradingWs: v.ENGINE_ENABLE_TRADING_WS,
      tradingWsMaxBackoffSeconds: v.ENGINE_TRADING_WS_MAX_BACKOFF_SECONDS,
    },
    api: {
      host: v.API_HOST,
      port: v.API_PORT,
      token: v.API_TOKEN === undefined ? null : new Secret(v.API_TOKEN),
      allowedHosts: v.API_ALLOWED_HOSTS ?? [],
    },
    draftTtlSeconds: v.DRAFT_TTL_SECONDS,
    risk: {
      symbolAllowlist: v.RISK_SYMBOL_ALLOWLIST,
      symbolDenylist: v.RISK_SYMBOL_DENYLIST,
      maxOrderQty: v.RISK_MAX_ORDER_QTY,
      maxOrderNotional: v.RISK_MAX_ORDER_NOTIONAL,
      maxPositionNotional: v.RISK_MAX_POSITION_NOTIONAL,
      maxPositionPctEquity: v.RISK_MAX_POSITION_PCT_EQUITY,
      maxOpenOrders: v.RISK_MAX_OPEN_ORDERS,
      maxOrdersPerMinute: v.RISK_MAX_ORDERS_PER_MINUTE,
      allowShort: v.RISK_ALLOW_SHORT,
      priceCollarPct: v.RISK_PRICE_COLLAR_PCT,
      allowExtendedHours: v.RISK_ALLOW_EXTENDED_HOURS,
      maxDailyLoss: v.RISK_MAX_DAILY_LOSS,
      flattenOnDailyLoss: v.RISK_FLATTEN_ON_DAILY_LOSS,
    },
    killSwitch: { suspendBroker: v.KILL_SWITCH_SUSPEND_BROKER },
    notify: { webhookUrl: v.NOTIFY_WEBHOOK_URL ?? null, streamDownSeconds: v.NOTIFY_STREAM_DOWN_SECONDS },
    logLevel: v.LOG_LEVEL,
    warnings,
  };
}

export { isLoopback };

function freeze<T>(value: T): Readonly<T> {
  if (value !== null && typeof value === 'object' && !(value instanceof Secret) && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) freeze(member);
    Object.freeze(value);
  }
  return value;
}

/**
 * Throws ConfigError when the API must not start with this configuration (see api-access.ts:
 * live mode needs API_TOKEN). Called by buildApp, so every way of starting the API checks it.
 */
export function assertApiStartable(config: Readonly<Config>): void {
  const issues = apiStartIssues(config);
  if (issues.length > 0) throw new ConfigError(issues);
}

/**
 * The configuration as printable JSON: Secret values print as a mask, every URL loses its
 * credentials (user info password, credential-like query values), and the webhook URL shows
 * only `scheme://host/***`.
 */
export function describeConfig(config: Readonly<Config>): Record<string, unknown> {
  const webhookUrl = config.notify.webhookUrl === null ? null : maskWebhookUrl(config.notify.webhookUrl);
  return JSON.parse(
    JSON.stringify({ ...config, notify: { ...config.notify, webhookUrl } }, (_k, v) =>
      typeof v === 'string' && v.includes('://') && v !== webhookUrl ? maskUrlCredentials(v) : v,
    ),
  ) as Record<string, unknown>;
}
