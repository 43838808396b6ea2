/**
 * The names of every variable Centaur reads, with their aliases, and how the raw values are
 * picked from the environment: a canonical name or its first alias (two different values is an
 * error), plus a warning for each unknown ALPACA_*, ENGINE_* or RISK_* variable (a likely typo).
 */
import type { Environment } from './environment.js';

export interface ConfigIssue {
  variable: string;
  message: string;
}

/** Every variable Centaur reads, with its aliases (checked in order after the canonical name). */
export const VARIABLES = {
  ALPACA_API_KEY: ['ALPACA_API_KEY_ID', 'APCA_API_KEY_ID'],
  ALPACA_API_SECRET: ['ALPACA_API_SECRET_KEY', 'APCA_API_SECRET_KEY'],
  ALPACA_TRADING_BASE_URL: ['ALPACA_API_TRADING_URL'],
  ALPACA_DATA_BASE_URL: [],
  ALPACA_PAPER_TRADING: [],
  ALPACA_DATA_FEED: [],
  CENTAUR_LIVE_TRADING: [],
  DATABASE_URL: ['DB_URL', 'SQLITE_URL'],
  REDIS_URL: [],
  COMMAND_QUEUE_NAME: [],
  ENGINE_PROFILE_ID: ['PROFILE_ID'],
  ENGINE_POLL_INTERVAL_SECONDS: [],
  ENGINE_SYNC_MIN_INTERVAL_SECONDS: [],
  ENGINE_ENABLE_TRADING_WS: [],
  ENGINE_TRADING_WS_MAX_BACKOFF_SECONDS: [],
  API_HOST: [],
  API_PORT: [],
  API_TOKEN: [],
  API_ALLOWED_HOSTS: [],
  DRAFT_TTL_SECONDS: [],
  LOG_LEVEL: [],
  RISK_SYMBOL_ALLOWLIST: [],
  RISK_SYMBOL_DENYLIST: [],
  RISK_MAX_ORDER_QTY: [],
  RISK_MAX_ORDER_NOTIONAL: [],
  RISK_MAX_POSITION_NOTIONAL: [],
  RISK_MAX_POSITION_PCT_EQUITY: [],
  RISK_MAX_OPEN_ORDERS: [],
  RISK_MAX_ORDERS_PER_MINUTE: [],
  RISK_ALLOW_SHORT: [],
  RISK_PRICE_COLLAR_PCT: [],
  RISK_ALLOW_EXTENDED_HOURS: [],
  RISK_MAX_DAILY_LOSS: [],
  RISK_FLATTEN_ON_DAILY_LOSS: [],
  KILL_SWITCH_SUSPEND_BROKER: [],
  NOTIFY_WEBHOOK_URL: [],
  NOTIFY_STREAM_DOWN_SECONDS: [],
} as const satisfies Record<string, readonly string[]>;

export type VariableName = keyof typeof VARIABLES;

/** Extra variables owned by later capabilities (risk limits, notifications) register here. */
const KNOWN_PREFIXED = new Set<string>(
  Object.entries(VARIABLES).flatMap(([name, aliases]) => [name, ...aliases]),
);

export function registerKnownVariables(names: readonly string[]): void {
  for (const name of names) KNOWN_PREFIXED.add(name);
}

/** Picks each variable from its canonical name or first alias; two different values is an error. */
export function collect(env: Environment, issues: ConfigIssue[]): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [name, aliases] of Object.entries(VARIABLES)) {
    const present = [name, ...aliases].filter((n) => env[n] !== undefined && env[n] !== '');
    const first = present[0];
    if (first === undefined) continue;
    const values = new Set(present.map((n) => env[n]));
    if (values.size > 1) {
      issues.push({
        variable: name,
        message: `set more than once with different values (${present.join(', ')})`,
      });
    }
    raw[name] = env[first] as string;
  }
  return raw;
}

export function unknownVariables(env: Environment): string[] {
  return Object.keys(env)
    .filter((n) => /^(ALPACA|ENGINE|RISK)_/.test(n) && !KNOWN_PREFIXED.has(n))
    .sort()
    .map((n) => `unknown variable ${n} (a typo?) is ignored`);
}
