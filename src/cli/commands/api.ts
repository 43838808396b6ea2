/**
 * `centaur api`: the control plane on its own. Opens the database (refusing a schema with pending
 * migrations: run `centaur migrate` first), creates the command bus (Redis when REDIS_URL is
 * set, else the embedded queue in the database), builds the app, listens on API_HOST:API_PORT
 * and prints the URL. SIGINT/SIGTERM close the listener, the bus and the database, in that order.
 */
import type { Command } from 'commander';
import { createCommandBus } from '../../adapters/bus/create-command-bus.js';
import { createChangeNotifier } from '../../adapters/changes/create-change-notifier.js';
import {
  assertMigrated,
  createDatabase,
  createStore,
  DatabaseUrlError,
  maskDatabaseUrl,
  PendingMigrationsError,
} from '../../adapters/storage/index.js';
import { buildApp } from '../../api/app.js';
import { listen } from '../../api/server.js';
import { assertApiStartable, type Config } from '../../config/config.js';
import type { Logger } from '../../logging/logger.js';
import { CliError, cliContext } from '../context.js';

export interface RunningApiProcess {
  url: string;
  stop(): Promise<void>;
}

/** Opens everything the API needs and starts listening; closes what it opened when that fails. */
export async function startApi(config: Readonly<Config>, log: Logger): Promise<RunningApiProcess> {
  // Refused before the database and the bus are opened (live without API_TOKEN: exit 2).
  assertApiStartable(config);
  let db: ReturnType<typeof createDatabase>;
  try {
    // A failed connection is logged and replaced; requests meanwhile answer 503 database_unavailable.
    db = createDatabase(config.database.url, {
      onConnectionError: (err) => log.warn({ err }, 'database connection failed'),
    });
  } catch (error) {
    if (error instanceof DatabaseUrlError) throw new CliError(error.message, 2);
    throw error;
  }
  try {
    await assertMigrated(db);
  } catch (error) {
    await db.destroy();
    if (error instanceof PendingMigrationsError)
      throw new CliError(`${error.message} (run \`centaur migrate\`)`, 2);
    const detail = error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot open the database at ${maskDatabaseUrl(config.database.url)}: ${detail}`, 2);
  }
  const bus = createCommandBus(config, db, { onError: (err) => log.warn({ err }, 'command bus error') });
  // Changes the engine announces (Redis pub/sub, Postgres LISTEN/NOTIFY; none on SQLite: polling).
  const changes = createChangeNotifier(config, 'api', {
    onError: (err) => log.warn({ err }, 'change channel error'),
  });
  const app = await buildApp({ config, store: createStore(db), bus, changes, log });
  const running = await listen(app, config.api.host, config.api.port).catch(async (error) => {
    await app.close();
    await changes.close();
    await bus.close();
    await db.destroy();
    throw new CliError(`cannot listen on ${config.api.host}:${config.api.port}: ${String(error)}`, 1);
  });
  return {
    url: running.url,
    stop: async () => {
      await running.close();
      await changes.close();
      await bus.close();
      await db.destroy();
    },
  };
}

export function register(program: Command): void {
  program
    .command('api')
    .description('Run the HTTP control plane (API_HOST:API_PORT); needs a migrated database')
    .action(async () => {
      const { config, log } = cliContext('api');
      const api = await startApi(config, log);
      console.log(
        `Centaur API for profile ${config.profileId} (${config.environment}, bus ${config.bus.kind})`,
      );
      console.log(`  ${api.url}  ·  OpenAPI ${api.url}/docs`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          api.stop().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      console.log('API stopped');
    });
}
