/**
 * The checks behind `centaur doctor`: configuration, database and migrations, Redis, broker
 * reachability and keys, clock skew, and the live-trading opt-in. Each check answers ok, warn or
 * fail with what it found and, when something is wrong, the fix. Checks never throw.
 */
import { Redis } from 'ioredis';
import { createAlpacaBroker } from '../adapters/alpaca/create-alpaca-broker.js';
import { createDatabase, maskDatabaseUrl, pendingMigrations } from '../adapters/storage/index.js';
import { type Config, ConfigError, loadConfig } from '../config/config.js';
import type { Environment } from '../config/environment.js';
import { BrokerError } from '../ports/broker.js';

export interface CheckResult {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

export const MAX_CLOCK_SKEW_MS = 2_000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function checkDatabase(config: Readonly<Config>): Promise<CheckResult> {
  const where = maskDatabaseUrl(config.database.url);
  let db: ReturnType<typeof createDatabase> | undefined;
  try {
    db = createDatabase(config.database.url);
    const pending = await pendingMigrations(db);
    return pending.length === 0
      ? { name: 'database', status: 'ok', detail: `${where}, schema up to date` }
      : {
          name: 'database',
          status: 'fail',
          detail: `${where}: ${pending.length} pending migration(s): ${pending.join(', ')}`,
          fix: 'run `centaur migrate`',
        };
  } catch (error) {
    return {
      name: 'database',
      status: 'fail',
      detail: `${where}: ${message(error)}`,
      fix: 'check DATABASE_URL and that the database server is running and reachable',
    };
  } finally {
    await db?.destroy().catch(() => {});
  }
}

export async function checkRedis(config: Readonly<Config>): Promise<CheckResult> {
  if (config.bus.redisUrl === null) {
    return {
      name: 'redis',
      status: 'ok',
      detail: 'not configured: the embedded bus (in the database) is used',
    };
  }
  const redis = new Redis(config.bus.redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const pong = await redis.ping();
    return { name: 'redis', status: pong === 'PONG' ? 'ok' : 'fail', detail: `answered ${pong}` };
  } catch (error) {
    return {
      name: 'redis',
      status: 'fail',
      detail: `cannot reach Redis: ${message(error)}`,
      fix: 'start Redis, fix REDIS_URL, or unset REDIS_URL to use the embedded bus',
    };
  } finally {
    redis.disconnect();
  }
}

export async function checkBroker(
  config: Readonly<Config>,
  now: () => number = Date.now,
): Promise<CheckResult[]> {
  const { keyId, secret } = config.broker;
  if (keyId === null || secret === null) {
    return [
      {
        name: 'broker',
        status: 'warn',
        detail:
          'no ALPACA_API_KEY/ALPACA_API_SECRET: `centaur start` uses the embedded simulator; `centaur engine` needs keys',
        fix: 'set ALPACA_API_KEY and ALPACA_API_SECRET (paper keys for paper) to use Alpaca',
      },
    ];
  }
  const { broker } = createAlpacaBroker({
    tradingBaseUrl: config.broker.tradingBaseUrl,
    streamUrl: config.broker.streamUrl,
    dataBaseUrl: config.broker.dataBaseUrl,
    keyId: keyId.reveal(),
    secret: secret.reveal(),
    dataFeed: config.broker.dataFeed,
    timeoutMs: 5_000,
    retry: { maxRetries: 0 },
  });
  try {
    const account = await broker.getAccount();
    const sentAt = now();
    const clock = await broker.getClock();
    const skew = Math.abs(new Date(clock.at).getTime() - (sentAt + now()) / 2);
    return [
      {
        name: 'broker',
        status: account.tradingBlocked || account.accountBlocked ? 'warn' : 'ok',
        detail: `${config.broker.tradingBaseUrl}: account ${account.status}, equity ${account.equity}${account.tradingBlocked ? ', TRADING BLOCKED' : ''}`,
        ...(account.tradingBlocked
          ? { fix: 'the broker blocks trading on this account: see the broker dashboard' }
          : {}),
      },
      skew > MAX_CLOCK_SKEW_MS
        ? {
            name: 'clock',
            status: 'warn',
            detail: `local clock is ${Math.round(skew)} ms off the broker's`,
            fix: 'synchronise the system clock (NTP)',
          }
        : { name: 'clock', status: 'ok', detail: `within ${Math.round(skew)} ms of the broker's clock` },
    ];
  } catch (error) {
    const unauthorized = error instanceof BrokerError && error.code === 'unauthorized';
    return [
      {
        name: 'broker',
        status: 'fail',
        detail: `${config.broker.tradingBaseUrl}: ${message(error)}`,
        fix: unauthorized
          ? `the keys were refused: check ALPACA_API_KEY/ALPACA_API_SECRET, and that they are ${config.environment} keys`
          : 'check network access to the broker and ALPACA_TRADING_BASE_URL',
      },
    ];
  }
}

export function checkLiveOptIn(config: Readonly<Config>): CheckResult {
  if (config.environment === 'paper') return { name: 'live trading', status: 'ok', detail: 'paper trading' };
  return config.broker.liveTradingEnabled
    ? { name: 'live trading', status: 'warn', detail: 'LIVE trading is enabled: real money' }
    : {
        name: 'live trading',
        status: 'fail',
        detail:
          'ALPACA_PAPER_TRADING=false without CENTAUR_LIVE_TRADING=enabled: the engine will refuse to start',
        fix: 'set CENTAUR_LIVE_TRADING=enabled to trade live deliberately, or ALPACA_PAPER_TRADING=true',
      };
}

export async function runDoctor(env: Environment): Promise<CheckResult[]> {
  let config: Readonly<Config>;
  try {
    config = loadConfig(env);
  } catch (error) {
    const issues =
      error instanceof ConfigError ? error.issues : [{ variable: '(environment)', message: message(error) }];
    return issues.map((i) => ({
      name: 'configuration',
      status: 'fail',
      detail: `${i.variable}: ${i.message}`,
      fix: `fix ${i.variable}`,
    }));
  }
  const results: CheckResult[] = [
    { name: 'configuration', status: 'ok', detail: `${config.environment}, profile ${config.profileId}` },
    ...config.warnings.map(
      (w): CheckResult => ({ name: 'configuration', status: 'warn', detail: w, fix: 'remove or rename it' }),
    ),
    checkLiveOptIn(config),
  ];
  results.push(await checkDatabase(config), await checkRedis(config), ...(await checkBroker(config)));
  return results;
}

export function formatReport(results: readonly CheckResult[]): string {
  const mark = { ok: '[ ok ]', warn: '[warn]', fail: '[FAIL]' } as const;
  return results
    .map((r) => `${mark[r.status]} ${r.name}: ${r.detail}${r.fix ? `\n       fix: ${r.fix}` : ''}`)
    .join('\n');
}
