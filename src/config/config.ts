/**
 * Centaur's configuration, parsed from the environment (and an optional `.env`, read by
 * environment.ts) with the declarations of variables.ts: each variable's parser and default,
 * its aliases, and its place in `Config`. Parsing reports every bad variable at once, derives
 * the rest (paper or live, simulator or Alpaca, the stream URL, the database dialect, the bus),
 * refuses a paper flag that contradicts a known Alpaca host, warns about unknown ALPACA_*,
 * ENGINE_* and RISK_* variables, and returns a frozen, typed result. What is secret comes from
 * the declarations too: describeConfig masks it for `centaur config`, configSecrets lists it for
 * the logger to scrub. Around it: api-access.ts (allowed hosts, live needs API_TOKEN) and
 * url-secrets.ts (the one URL masker).
 */
import type { RiskLimits } from '../core/risk/risk-types.js';
import { apiStartIssues, isLoopback } from './api-access.js';
import { getPath, type Placed, setPath, type Values } from './declaration.js';
import type { Environment } from './environment.js';
import { Secret } from './secret.js';
import { maskUrlCredentials, maskWebhookUrl, urlSecrets, webhookSecrets } from './url-secrets.js';
import {
  ALPACA_LIVE_URL,
  ALPACA_PAPER_URL,
  type ConfigIssue,
  collect,
  MODE_VARIABLE,
  unknownVariables,
  VARIABLE_LIST,
  VARIABLES,
} from './variables.js';

const { broker: BROKER, api: API } = VARIABLES;

/** The values of the declared variables, shaped and typed by the declarations. */
export type DeclaredConfig = Values<typeof VARIABLES>;

/**
 * The configuration: every declared variable's value at its declared place (DeclaredConfig),
 * plus the fields derived from them, which are the only ones named here.
 */
export interface Config extends Omit<DeclaredConfig, 'broker' | 'database' | 'bus'> {
  /** `live` when ALPACA_PAPER_TRADING is false. */
  environment: 'paper' | 'live';
  broker: DeclaredConfig['broker'] & {
    /** `simulator` when no keys are configured: the embedded paper broker. */
    mode: 'simulator' | 'alpaca';
    /** The trade_updates stream, derived from the trading base URL. */
    streamUrl: string;
  };
  database: DeclaredConfig['database'] & { dialect: 'sqlite' | 'postgres' };
  bus: DeclaredConfig['bus'] & {
    kind: 'redis' | 'embedded';
    /** The queue name suffixed with the profile. */
    streamName: string;
  };
  /** Likely typos: unknown ALPACA_*, ENGINE_* and RISK_* variables. */
  warnings: readonly string[];
}

export type { ConfigIssue, VariableName } from './variables.js';
export {
  ALPACA_DATA_URL,
  ALPACA_LIVE_URL,
  ALPACA_PAPER_URL,
  DEFAULT_LIVE_DATABASE,
  DEFAULT_PAPER_DATABASE,
  registerKnownVariables,
  VARIABLE_LIST,
  VARIABLES,
} from './variables.js';

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

function checkPaperAgainstUrl(paper: boolean, baseUrl: string, issues: ConfigIssue[]): void {
  const host = new URL(baseUrl).host;
  if (paper && host === new URL(ALPACA_LIVE_URL).host) {
    issues.push({
      variable: BROKER.paper.name,
      message: `is true but ALPACA_TRADING_BASE_URL points at live trading (${maskUrlCredentials(baseUrl)}); set ALPACA_PAPER_TRADING=false for live or use ${ALPACA_PAPER_URL}`,
    });
  }
  if (!paper && host === new URL(ALPACA_PAPER_URL).host) {
    issues.push({
      variable: BROKER.paper.name,
      message: `is false but ALPACA_TRADING_BASE_URL points at paper trading (${maskUrlCredentials(baseUrl)})`,
    });
  }
}

/**
 * Parses every declared variable from its raw value or its default (the paper or live default
 * once ALPACA_PAPER_TRADING is known) and puts it at its declared place, null when unset without
 * default. Pushes one issue per problem and returns null when any variable is bad.
 */
function parseDeclared(raw: Record<string, string>, issues: ConfigIssue[]): DeclaredConfig | null {
  const values: Record<string, unknown> = {};
  let bad = false;
  const parse = ({ path, variable: v }: Placed, paper: boolean): unknown => {
    const input = raw[v.name] ?? v.rawDefault(paper);
    const result = input === undefined ? { success: true as const, data: null } : v.parse.safeParse(input);
    if (!result.success) {
      bad = true;
      for (const issue of result.error.issues) issues.push({ variable: v.name, message: issue.message });
      return undefined;
    }
    const held = result.data === null ? null : v.hold(result.data);
    setPath(values, path, held);
    return held;
  };
  const modeEntry = VARIABLE_LIST.find((p) => p.variable === MODE_VARIABLE) as Placed;
  const paper = parse(modeEntry, true);
  for (const entry of VARIABLE_LIST) {
    if (entry === modeEntry) continue;
    // A bad paper flag is reported; the defaults that depend on it are not parsed.
    const undecided = typeof paper !== 'boolean' && entry.variable.modeDependent;
    if (!undecided || raw[entry.variable.name] !== undefined) parse(entry, paper !== false);
  }
  return bad ? null : (values as DeclaredConfig);
}

/** Rules across variables, checked once every variable parsed. */
function crossChecks(v: DeclaredConfig, issues: ConfigIssue[]): void {
  if ((v.broker.keyId === null) !== (v.broker.secret === null)) {
    const missing = v.broker.keyId === null ? BROKER.keyId.name : BROKER.secret.name;
    issues.push({ variable: missing, message: 'is required when the other Alpaca credential is set' });
  }
  checkPaperAgainstUrl(v.broker.paper, v.broker.tradingBaseUrl, issues);
  if (!isLoopback(v.api.host) && v.api.token === null) {
    issues.push({
      variable: API.token.name,
      message: `is required when ${API.host.name} (${v.api.host}) is not a loopback address`,
    });
  }
}

/** Parses the configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: Environment): Readonly<Config> {
  const issues: ConfigIssue[] = [];
  const declared = parseDeclared(collect(env, issues), issues);
  if (declared !== null) crossChecks(declared, issues);
  if (declared === null || issues.length > 0) throw new ConfigError(issues);
  return freeze(derive(declared, unknownVariables(env)));
}

/** The fields no variable sets directly, from those that do. */
function derive(v: DeclaredConfig, warnings: string[]): Config {
  const { broker, database, bus } = v;
  return {
    environment: broker.paper ? 'paper' : 'live',
    ...v,
    broker: {
      mode: broker.keyId !== null && broker.secret !== null ? 'alpaca' : 'simulator',
      ...broker,
      streamUrl: streamUrlFor(broker.tradingBaseUrl),
    },
    database: { ...database, dialect: database.url.startsWith('sqlite:') ? 'sqlite' : 'postgres' },
    bus: {
      kind: bus.redisUrl === null ? 'embedded' : 'redis',
      ...bus,
      streamName: `${bus.queueName}:${v.profileId}`,
    },
    risk: v.risk satisfies RiskLimits,
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
 * The configuration as printable JSON, secrets masked as their declarations say: `value` secrets
 * print as a mask (Secret), `url` secrets lose their credentials (user info password,
 * credential-like query values) and the webhook URL shows only `scheme://host/***`. Every other
 * URL loses its credentials too, in case one is derived from a secret.
 */
export function describeConfig(config: Readonly<Config>): Record<string, unknown> {
  const described = JSON.parse(
    JSON.stringify(config, (_k, v) =>
      typeof v === 'string' && v.includes('://') ? maskUrlCredentials(v) : v,
    ),
  ) as Record<string, unknown>;
  for (const { path, variable } of VARIABLE_LIST) {
    const value = getPath(config, path);
    if (value === null || value === undefined) continue;
    // A Secret prints as its mask; wrapping makes sure nothing else could print the value.
    if (variable.secret === 'value') setPath(described, path, String(new Secret(String(value))));
    if (variable.secret === 'webhook') setPath(described, path, maskWebhookUrl(String(value)));
  }
  return described;
}

/**
 * The secret values the logger scrubs from every line, as the declarations say: each `value`
 * secret, the password and credential query values of each `url` secret, and the whole webhook
 * URL with its path.
 */
export function configSecrets(config: Readonly<Config>): string[] {
  return VARIABLE_LIST.flatMap(({ path, variable }): string[] => {
    const value = getPath(config, path);
    if (value === null || value === undefined) return [];
    switch (variable.secret) {
      case 'value':
        return [value instanceof Secret ? value.reveal() : String(value)];
      case 'url':
        return urlSecrets(String(value));
      case 'webhook':
        return webhookSecrets(String(value));
      default:
        return [];
    }
  });
}
