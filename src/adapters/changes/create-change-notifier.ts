/**
 * Chooses the change channel from the configuration, in this one place:
 * - the all-in-one: in process (engine and API share the process and this object);
 * - separate processes with REDIS_URL: Redis pub/sub (channels `<COMMAND_QUEUE_NAME>:changes:<profile>`);
 * - separate processes on Postgres without Redis: LISTEN/NOTIFY (channel `centaur_changes` of
 *   the ledger's database);
 * - separate processes on SQLite: none; the API's change feed polls the database (the documented
 *   fallback: SQLite serves one host, and a second process has no channel to hear it on).
 */
import type { Config } from '../../config/config.js';
import type { ChangeNotifier } from '../../ports/change-notifier.js';
import type { ErrorSink } from './change-fanout.js';
import { InProcessChangeNotifier, pollingChangeNotifier } from './in-process-change-notifier.js';
import { PostgresChangeNotifier } from './postgres-change-notifier.js';
import { RedisChangeNotifier } from './redis-change-notifier.js';

export type ProcessRole = 'all-in-one' | 'engine' | 'api';

export function createChangeNotifier(
  config: Pick<Config, 'bus' | 'database'>,
  role: ProcessRole,
  options: { onError?: ErrorSink } = {},
): ChangeNotifier {
  const onError = options.onError ?? (() => {});
  if (role === 'all-in-one') return new InProcessChangeNotifier({ onError });
  if (config.bus.redisUrl !== null) {
    return new RedisChangeNotifier({
      url: config.bus.redisUrl,
      prefix: `${config.bus.queueName}:changes`,
      connectionName: `centaur-changes-${role}`,
      onError,
    });
  }
  if (config.database.dialect === 'postgres') {
    return new PostgresChangeNotifier({
      url: config.database.url,
      applicationName: `centaur-changes-${role}`,
      onError,
    });
  }
  return pollingChangeNotifier;
}
