/**
 * The all-in-one system behind `npm start`: the broker (the embedded simulator with a demo
 * account, or Alpaca when keys are configured), the migrated database, the command bus, the
 * engine and the API, in one process. `stop()` tears them down in reverse order. Live trading is
 * refused here unless deliberately enabled (ALPACA_PAPER_TRADING=false and CENTAUR_LIVE_TRADING=enabled).
 */
import { rmSync } from 'node:fs';
import { createAlpacaBroker } from '../adapters/alpaca/create-alpaca-broker.js';
import { createCommandBus } from '../adapters/bus/create-command-bus.js';
import { createChangeNotifier } from '../adapters/changes/create-change-notifier.js';
import { silentNotifier, WebhookNotifier } from '../adapters/notify/webhook-notifier.js';
import { createDatabase, createStore, maskDatabaseUrl, migrateToLatest } from '../adapters/storage/index.js';
import { systemClock, uuidGenerator } from '../adapters/system/system-clock.js';
import { buildApp } from '../api/app.js';
import { listen } from '../api/server.js';
import { assertApiStartable, type Config } from '../config/config.js';
import { type RunningEngine, startEngine } from '../engine/engine.js';
import { engineOptionsFromConfig } from '../engine/engine-options.js';
import type { Logger } from '../logging/logger.js';
import type { Notifier } from '../ports/notifier.js';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../sim/server.js';
import { CliError } from './context.js';
import { superviseEngine } from './engine-supervisor.js';

/** The demo account a newcomer starts with: cash and a few positions. */
export const DEMO_ACCOUNT = {
  cash: '100000',
  positions: [
    { symbol: 'AAPL', qty: '40', avg_entry_price: '182.50' },
    { symbol: 'MSFT', qty: '15', avg_entry_price: '401.20' },
    { symbol: 'NVDA', qty: '60', avg_entry_price: '108.75' },
    { symbol: 'SPY', qty: '10', avg_entry_price: '538.00' },
  ],
};

/** Where the demo ledger lives: the simulator starts fresh every time, and so does its ledger. */
export const DEMO_DATABASE_URL = 'sqlite:./data/demo.db';

export interface AllInOneOptions {
  /** Use this database even with the embedded simulator (default: the fresh demo ledger). */
  databaseUrl?: string;
  /** Simulator price ticks in ms (0 = frozen prices); default 2000 for a live-looking demo. */
  simTickMs?: number;
  simPort?: number;
  /** Overrides of the embedded simulator (a larger universe or account, for benchmarks). */
  simulator?: Partial<SimulatorOptions>;
}

export interface RunningSystem {
  apiUrl: string;
  brokerDescription: string;
  databaseDescription: string;
  engine: RunningEngine;
  simulator: RunningSimulator | null;
  stop(): Promise<void>;
}

/** Refuses live trading without the deliberate opt-in. */
export function assertLiveOptIn(config: Readonly<Config>): void {
  if (config.environment === 'live' && !config.broker.liveTradingEnabled) {
    throw new CliError(
      'live trading is refused: ALPACA_PAPER_TRADING=false also needs CENTAUR_LIVE_TRADING=enabled (a deliberate opt-in)',
      2,
    );
  }
}

function notifierFor(config: Readonly<Config>, log: Logger): Notifier {
  if (config.notify.webhookUrl === null) return silentNotifier;
  return new WebhookNotifier({
    url: config.notify.webhookUrl,
    onError: (error, n) => log.warn({ err: error, kind: n.kind }, 'notification failed'),
  });
}

interface BrokerTarget {
  tradingBaseUrl: string;
  streamUrl: string;
  dataBaseUrl: string;
  keyId: string;
  secret: string;
  description: string;
  simulator: RunningSimulator | null;
}

async function brokerTarget(config: Readonly<Config>, options: AllInOneOptions): Promise<BrokerTarget> {
  const { keyId, secret } = config.broker;
  if (keyId !== null && secret !== null) {
    return {
      tradingBaseUrl: config.broker.tradingBaseUrl,
      streamUrl: config.broker.streamUrl,
      dataBaseUrl: config.broker.dataBaseUrl,
      keyId: keyId.reveal(),
      secret: secret.reveal(),
      description: `Alpaca ${config.environment} at ${config.broker.tradingBaseUrl}`,
      simulator: null,
    };
  }
  const sim = await startSimulator({
    cash: DEMO_ACCOUNT.cash,
    positions: DEMO_ACCOUNT.positions,
    tickIntervalMs: options.simTickMs ?? 2_000,
    seed: Date.now() % 100_000,
    ...(options.simPort === undefined ? {} : { port: options.simPort }),
    ...options.simulator,
  });
  return {
    tradingBaseUrl: sim.tradingUrl,
    streamUrl: sim.streamUrl,
    dataBaseUrl: sim.dataUrl,
    keyId: sim.keyId,
    secret: sim.secret,
    description: `the embedded simulator at ${sim.tradingUrl} (demo account, paper)`,
    simulator: sim,
  };
}

export async function startAllInOne(
  config: Readonly<Config>,
  log: Logger,
  options: AllInOneOptions = {},
): Promise<RunningSystem> {
  assertLiveOptIn(config);
  // Refused before anything starts (live without API_TOKEN), not after the engine is up.
  assertApiStartable(config);
  const target = await brokerTarget(config, options);
  const cleanups: Array<() => Promise<void>> = [];
  if (target.simulator) cleanups.push(() => target.simulator?.stop() ?? Promise.resolve());
  const undo = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    const databaseUrl = options.databaseUrl ?? (target.simulator ? DEMO_DATABASE_URL : config.database.url);
    if (target.simulator && options.databaseUrl === undefined) {
      rmSync('./data/demo.db', { force: true });
      rmSync('./data/demo.db-wal', { force: true });
      rmSync('./data/demo.db-shm', { force: true });
    }
    const db = createDatabase(databaseUrl, {
      onConnectionError: (err) => log.warn({ err }, 'database connection failed'),
    });
    cleanups.push(() => db.destroy());
    const { applied } = await migrateToLatest(db);
    if (applied.length) log.info({ applied }, 'database migrated');
    const store = createStore(db);
    const bus = createCommandBus(config, db, { onError: (err) => log.warn({ err }, 'command bus error') });
    cleanups.push(() => bus.close());
    // Engine and API share this process: changes travel in process, from commit to SSE.
    const changes = createChangeNotifier(config, 'all-in-one', {
      onError: (err) => log.warn({ err }, 'change channel error'),
    });
    cleanups.push(() => changes.close());
    const adapter = createAlpacaBroker({ ...target, dataFeed: config.broker.dataFeed });
    const notifier = notifierFor(config, log);
    // Supervised: a lease that lapsed (the machine slept, the process was paused) starts it again.
    const supervised = await superviseEngine(
      () =>
        startEngine({
          options: engineOptionsFromConfig(config),
          store,
          broker: adapter.broker,
          tradeStream: adapter.tradeStream,
          bus,
          clock: systemClock,
          ids: uuidGenerator,
          log,
          notifier,
          changes,
        }),
      log,
    );
    void supervised.ended.then(({ reason }) => {
      if (reason !== 'stopped') log.error({ reason }, 'the engine stopped and is not serving');
    });
    cleanups.push(() => supervised.stop());
    const app = await buildApp({ config, store, bus, changes, log });
    const api = await listen(app, config.api.host, config.api.port).catch(async (error: unknown) => {
      await app.close();
      throw new CliError(`cannot listen on ${config.api.host}:${config.api.port}: ${String(error)}`, 1);
    });
    cleanups.push(() => api.close());
    return {
      apiUrl: api.url,
      brokerDescription: target.description,
      databaseDescription: maskDatabaseUrl(databaseUrl),
      get engine() {
        return supervised.current();
      },
      simulator: target.simulator,
      stop: undo,
    };
  } catch (error) {
    await undo();
    throw error;
  }
}
