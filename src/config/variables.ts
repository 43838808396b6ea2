/**
 * Every variable Centaur reads, declared once, at the place in `Config` its value goes to: name,
 * aliases, parser, default, secrecy and documentation (see declaration.ts). The rest derives from
 * this table: the parsed values and their types (config.ts), the aliases and the warnings about
 * unknown ALPACA_*, ENGINE_* and RISK_* variables (below), what describeConfig masks and the
 * logger scrubs (config.ts), and the configuration tables of README.md and docs/risk.md
 * (docs.ts, `npm run docs:config`).
 */
import { z } from 'zod';
import { hostList } from './api-access.js';
import { flatten, type Placed, variable } from './declaration.js';
import type { Environment } from './environment.js';
import {
  bool,
  decimalAmount,
  httpUrl,
  lossLimit,
  nonEmpty,
  port,
  positiveNumber,
  symbolList,
  wholeNumber,
} from './schema-parts.js';

export const ALPACA_PAPER_URL = 'https://paper-api.alpaca.markets';
export const ALPACA_LIVE_URL = 'https://api.alpaca.markets';
export const ALPACA_DATA_URL = 'https://data.alpaca.markets';
export const DEFAULT_PAPER_DATABASE = 'sqlite:./data/centaur.db';
export const DEFAULT_LIVE_DATABASE = 'sqlite:./data/centaur-live.db';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const RISK = 'docs/risk.md';

/** The declarations, shaped like `Config` (whose other fields config.ts derives from these). */
export const VARIABLES = {
  broker: {
    keyId: variable({
      name: 'ALPACA_API_KEY',
      aliases: ['ALPACA_API_KEY_ID', 'APCA_API_KEY_ID'],
      parse: nonEmpty,
      secret: 'value',
      defaultNote: 'simulator',
      doc: 'broker key id',
    }),
    secret: variable({
      name: 'ALPACA_API_SECRET',
      aliases: ['ALPACA_API_SECRET_KEY', 'APCA_API_SECRET_KEY'],
      parse: nonEmpty,
      secret: 'value',
      defaultNote: 'simulator',
      doc: 'broker secret',
    }),
    tradingBaseUrl: variable({
      name: 'ALPACA_TRADING_BASE_URL',
      aliases: ['ALPACA_API_TRADING_URL'],
      parse: httpUrl,
      default: { paper: ALPACA_PAPER_URL, live: ALPACA_LIVE_URL },
      doc: 'trading REST base; the `trade_updates` stream URL is derived from it (`wss://<host>/stream`)',
    }),
    dataBaseUrl: variable({
      name: 'ALPACA_DATA_BASE_URL',
      parse: httpUrl,
      default: ALPACA_DATA_URL,
      doc: 'market data REST base (latest trades and quotes)',
    }),
    paper: variable({
      name: 'ALPACA_PAPER_TRADING',
      parse: bool,
      default: 'true',
      doc: 'paper or live; a trading URL that contradicts it is a startup error',
    }),
    liveTradingEnabled: variable({
      name: 'CENTAUR_LIVE_TRADING',
      parse: z
        .enum(['enabled', 'disabled'], { message: 'expected enabled or disabled' })
        .transform((v) => v === 'enabled'),
      default: 'disabled',
      doc: 'live trading also needs this set to `enabled` (deliberate opt-in)',
    }),
    dataFeed: variable({
      name: 'ALPACA_DATA_FEED',
      parse: z.enum(['iex', 'sip'], { message: 'expected iex or sip' }),
      default: 'iex',
      doc: 'market data feed (`iex` or `sip`)',
    }),
  },
  database: {
    url: variable({
      name: 'DATABASE_URL',
      aliases: ['DB_URL', 'SQLITE_URL'],
      parse: z
        .string()
        .trim()
        .regex(
          /^(sqlite:.+|postgres(ql)?:\/\/.+)$/,
          'expected sqlite:<path> or postgres://user@host:port/db',
        ),
      default: { paper: DEFAULT_PAPER_DATABASE, live: DEFAULT_LIVE_DATABASE },
      secret: 'url',
      doc: '`sqlite:<path>` or `postgres://user@host:port/db`; paper and live keep separate ledgers by default',
    }),
  },
  bus: {
    redisUrl: variable({
      name: 'REDIS_URL',
      parse: z
        .string()
        .trim()
        .regex(/^rediss?:\/\/.+/, 'expected redis://host:port'),
      secret: 'url',
      defaultNote: 'embedded bus',
      doc: 'Redis Streams command bus',
    }),
    queueName: variable({
      name: 'COMMAND_QUEUE_NAME',
      parse: nonEmpty,
      default: 'centaur:commands',
      doc: 'stream/queue name, suffixed with the profile (`centaur:commands:<profile>`)',
    }),
  },
  profileId: variable({
    name: 'ENGINE_PROFILE_ID',
    aliases: ['PROFILE_ID'],
    parse: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1-64 letters, digits, _ or -'),
    default: 'default',
    doc: 'the account profile this process serves',
  }),
  engine: {
    pollIntervalSeconds: variable({
      name: 'ENGINE_POLL_INTERVAL_SECONDS',
      parse: positiveNumber(3600),
      default: '10',
      doc: 'reconciliation with the broker every N seconds (a healthy stream is verified, re-read only on evidence of loss)',
    }),
    syncMinIntervalSeconds: variable({
      name: 'ENGINE_SYNC_MIN_INTERVAL_SECONDS',
      parse: positiveNumber(600),
      default: '3',
      doc: 'minimum gap between REST refreshes triggered by events',
    }),
    enableTradingWs: variable({
      name: 'ENGINE_ENABLE_TRADING_WS',
      parse: bool,
      default: 'true',
      doc: 'subscribe to the `trade_updates` stream',
    }),
    tradingWsMaxBackoffSeconds: variable({
      name: 'ENGINE_TRADING_WS_MAX_BACKOFF_SECONDS',
      parse: positiveNumber(3600),
      default: '30',
      doc: 'reconnect backoff cap',
    }),
  },
  api: {
    host: variable({
      name: 'API_HOST',
      parse: nonEmpty,
      default: '127.0.0.1',
      doc: 'control-plane bind address (a non-loopback address needs `API_TOKEN`)',
    }),
    port: variable({
      name: 'API_PORT',
      parse: port,
      default: '8000',
      doc: 'control-plane port',
    }),
    token: variable({
      name: 'API_TOKEN',
      parse: z.string().trim().min(16, 'must be at least 16 characters'),
      secret: 'value',
      doc: 'bearer token (at least 16 characters) required on every route but `/health` when set; **required in live mode** (the API refuses to start without it, exit code 2, also on loopback)',
    }),
    allowedHosts: variable({
      name: 'API_ALLOWED_HOSTS',
      parse: hostList,
      default: '',
      doc: 'comma-separated host names or addresses (no scheme or port) the API answers for besides the loopback names and a specific `API_HOST`; any other `Host` gets 421 and any other `Origin` on a POST gets 403 (DNS-rebinding defence, see [docs/api.md](docs/api.md#security))',
    }),
  },
  draftTtlSeconds: variable({
    name: 'DRAFT_TTL_SECONDS',
    parse: positiveNumber(3600),
    default: '60',
    doc: 'how long a staged draft can be confirmed',
  }),
  logLevel: variable({
    name: 'LOG_LEVEL',
    parse: z.enum(LOG_LEVELS, { message: `expected ${LOG_LEVELS.slice(0, -1).join(', ')} or silent` }),
    default: 'info',
    doc: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`',
  }),
  risk: {
    symbolAllowlist: variable({
      name: 'RISK_SYMBOL_ALLOWLIST',
      parse: symbolList,
      default: '',
      defaultNote: 'all',
      docFile: RISK,
      doc: 'comma-separated symbols; when set, only these may be traded',
    }),
    symbolDenylist: variable({
      name: 'RISK_SYMBOL_DENYLIST',
      parse: symbolList,
      default: '',
      docFile: RISK,
      doc: 'comma-separated symbols that may never be traded',
    }),
    maxOrderQty: variable({
      name: 'RISK_MAX_ORDER_QTY',
      parse: decimalAmount,
      default: '1000',
      docFile: RISK,
      doc: 'largest quantity of one order',
    }),
    maxOrderNotional: variable({
      name: 'RISK_MAX_ORDER_NOTIONAL',
      parse: decimalAmount,
      default: '10000',
      docFile: RISK,
      doc: 'largest estimated value of one order, in dollars',
    }),
    maxPositionNotional: variable({
      name: 'RISK_MAX_POSITION_NOTIONAL',
      parse: decimalAmount,
      default: '25000',
      docFile: RISK,
      doc: 'largest value of one position after an order, in dollars',
    }),
    maxPositionPctEquity: variable({
      name: 'RISK_MAX_POSITION_PCT_EQUITY',
      parse: decimalAmount,
      default: '25',
      docFile: RISK,
      doc: 'largest share of equity one position may reach after an order, in percent',
    }),
    maxOpenOrders: variable({
      name: 'RISK_MAX_OPEN_ORDERS',
      parse: wholeNumber,
      default: '20',
      docFile: RISK,
      doc: 'open orders allowed at once',
    }),
    maxOrdersPerMinute: variable({
      name: 'RISK_MAX_ORDERS_PER_MINUTE',
      parse: wholeNumber,
      default: '10',
      docFile: RISK,
      doc: 'orders allowed in any minute',
    }),
    allowShort: variable({
      name: 'RISK_ALLOW_SHORT',
      parse: bool,
      default: 'false',
      docFile: RISK,
      doc: 'allow a sell larger than the position (going short)',
    }),
    priceCollarPct: variable({
      name: 'RISK_PRICE_COLLAR_PCT',
      parse: decimalAmount,
      default: '10',
      docFile: RISK,
      doc: 'a limit or stop price must be within this percent of the last price',
    }),
    allowExtendedHours: variable({
      name: 'RISK_ALLOW_EXTENDED_HOURS',
      parse: bool,
      default: 'false',
      docFile: RISK,
      doc: 'admit extended-hours DAY limit orders in the pre- and post-market',
    }),
    maxDailyLoss: variable({
      name: 'RISK_MAX_DAILY_LOSS',
      parse: lossLimit,
      default: '3%',
      docFile: RISK,
      doc: 'loss since the previous close that halts trading: an amount (`500`) or a percentage of last equity (`3%`)',
    }),
    flattenOnDailyLoss: variable({
      name: 'RISK_FLATTEN_ON_DAILY_LOSS',
      parse: bool,
      default: 'false',
      docFile: RISK,
      doc: 'when the daily loss limit trips, also run the kill switch',
    }),
  },
  killSwitch: {
    suspendBroker: variable({
      name: 'KILL_SWITCH_SUSPEND_BROKER',
      parse: bool,
      default: 'false',
      docFile: RISK,
      doc: "the kill switch also sets the broker account's `suspend_trade`",
    }),
  },
  notify: {
    webhookUrl: variable({
      name: 'NOTIFY_WEBHOOK_URL',
      parse: httpUrl,
      secret: 'webhook',
      docFile: RISK,
      doc: 'JSON POST target for notifications (ntfy, Slack and similar)',
    }),
    streamDownSeconds: variable({
      name: 'NOTIFY_STREAM_DOWN_SECONDS',
      parse: positiveNumber(86_400),
      default: '60',
      docFile: RISK,
      doc: 'notify when the trade stream has been down this long',
    }),
  },
};

/** Every declaration with its place in `Config`, in declaration (and documentation) order. */
export const VARIABLE_LIST: readonly Placed[] = flatten(VARIABLES);

/** The variable whose value selects the paper or live defaults. */
export const MODE_VARIABLE = VARIABLES.broker.paper;

type NamesOf<T> = {
  [K in keyof T]: T[K] extends { name: infer N extends string } ? N : NamesOf<T[K]>;
}[keyof T];

export type VariableName = NamesOf<typeof VARIABLES>;

export interface ConfigIssue {
  variable: string;
  message: string;
}

/** Prefixes of likely typos: an unknown variable with one of these gets a warning. */
const WARNED_PREFIXES = /^(ALPACA|ENGINE|RISK)_/;

/** Every declared name and alias, plus those registered by later capabilities. */
const KNOWN = new Set<string>(VARIABLE_LIST.flatMap(({ variable: v }) => [v.name, ...v.aliases]));

/** Extra variables owned by other capabilities (e.g. optional tools) register here. */
export function registerKnownVariables(names: readonly string[]): void {
  for (const name of names) KNOWN.add(name);
}

/** Picks each variable from its canonical name or first alias; two different values is an error. */
export function collect(env: Environment, issues: ConfigIssue[]): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const { variable: v } of VARIABLE_LIST) {
    const present = [v.name, ...v.aliases].filter((n) => env[n] !== undefined && env[n] !== '');
    const first = present[0];
    if (first === undefined) continue;
    const values = new Set(present.map((n) => env[n]));
    if (values.size > 1) {
      issues.push({
        variable: v.name,
        message: `set more than once with different values (${present.join(', ')})`,
      });
    }
    raw[v.name] = env[first] as string;
  }
  return raw;
}

export function unknownVariables(env: Environment): string[] {
  return Object.keys(env)
    .filter((n) => WARNED_PREFIXES.test(n) && !KNOWN.has(n))
    .sort()
    .map((n) => `unknown variable ${n} (a typo?) is ignored`);
}
