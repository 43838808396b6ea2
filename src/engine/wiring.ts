/**
 * Builds what a standalone engine process runs on from the configuration: the store (refusing a
 * database with pending migrations), the command bus (Redis, or the embedded queue in the same
 * database), and the Alpaca adapter (REST + trade stream) at ALPACA_TRADING_BASE_URL, which may be
 * a `centaur sim` instance. The engine always talks to the broker through the Alpaca adapter.
 */
import { createAlpacaBroker } from '../adapters/alpaca/create-alpaca-broker.js';
import { createCommandBus } from '../adapters/bus/create-command-bus.js';
import { createChangeNotifier } from '../adapters/changes/create-change-notifier.js';
import { silentNotifier, WebhookNotifier } from '../adapters/notify/webhook-notifier.js';
import { assertMigrated, createDatabase, createStore } from '../adapters/storage/index.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { Broker, TradeStream } from '../ports/broker.js';
import type { ChangeNotifier } from '../ports/change-notifier.js';
import type { CommandBus } from '../ports/command-bus.js';
import type { Notifier } from '../ports/notifier.js';
import type { Store } from '../ports/store.js';

export class MissingBrokerKeysError extends Error {
  constructor() {
    super(
      'centaur engine needs broker keys: set ALPACA_API_KEY and ALPACA_API_SECRET. To run against a local ' +
        'simulator, start `centaur sim` and set ALPACA_TRADING_BASE_URL=http://127.0.0.1:4010 with its keys ' +
        '(ALPACA_API_KEY=SIMKEY, ALPACA_API_SECRET=SIMSECRET); `centaur start` embeds the simulator for you.',
    );
    this.name = 'MissingBrokerKeysError';
  }
}

export interface EngineResources {
  store: Store;
  bus: CommandBus;
  broker: Broker;
  tradeStream: TradeStream;
  notifier: Notifier;
  /** Where the engine announces committed changes (Redis, Postgres NOTIFY, or none on SQLite). */
  changes: ChangeNotifier;
  close(): Promise<void>;
}

export async function openEngineResources(config: Readonly<Config>, log: Logger): Promise<EngineResources> {
  const { keyId, secret } = config.broker;
  if (keyId === null || secret === null) throw new MissingBrokerKeysError();
  // A connection that fails (server restart, terminated backend) is logged and replaced; the
  // query on it rejects, and the engine retries (its lease keeps it from acting on stale state).
  const db = createDatabase(config.database.url, {
    onConnectionError: (error) => log.warn({ err: error }, 'database connection failed'),
  });
  try {
    await assertMigrated(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const store = createStore(db);
  const bus = createCommandBus(config, db, {
    onError: (error) => log.warn({ err: error }, 'command bus error'),
  });
  const adapter = createAlpacaBroker({
    tradingBaseUrl: config.broker.tradingBaseUrl,
    streamUrl: config.broker.streamUrl,
    dataBaseUrl: config.broker.dataBaseUrl,
    keyId: keyId.reveal(),
    secret: secret.reveal(),
    dataFeed: config.broker.dataFeed,
  });
  const changes = createChangeNotifier(config, 'engine', {
    onError: (error) => log.warn({ err: error }, 'change channel error'),
  });
  return {
    store,
    bus,
    changes,
    broker: adapter.broker,
    tradeStream: adapter.tradeStream,
    notifier:
      config.notify.webhookUrl === null
        ? silentNotifier
        : new WebhookNotifier({
            url: config.notify.webhookUrl,
            onError: (error, n) => log.warn({ err: error, kind: n.kind }, 'notification failed'),
          }),
    close: async () => {
      await changes.close().catch(() => {});
      await bus.close().catch(() => {});
      await store.close();
    },
  };
}
