/**
 * Chooses the command bus from the configuration: Redis Streams when REDIS_URL is set
 * (`config.bus.kind === 'redis'`), otherwise the embedded queue in the ledger database.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../../config/config.js';
import type { CommandBus } from '../../ports/command-bus.js';
import type { Database } from '../storage/database.js';
import { EmbeddedCommandBus, type EmbeddedCommandBusOptions } from './embedded-command-bus.js';
import { RedisCommandBus, type RedisCommandBusOptions } from './redis-command-bus.js';

export interface CommandBusTuning {
  maxDeliveries?: number;
  claimIdleMs?: number;
  onError?: (error: unknown) => void;
  redis?: Partial<Omit<RedisCommandBusOptions, 'url' | 'queueName'>>;
  embedded?: Partial<Omit<EmbeddedCommandBusOptions, 'db'>>;
}

export function createCommandBus(
  config: Pick<Config, 'bus'>,
  db: Kysely<Database>,
  tuning: CommandBusTuning = {},
): CommandBus {
  const common = {
    ...(tuning.maxDeliveries === undefined ? {} : { maxDeliveries: tuning.maxDeliveries }),
    ...(tuning.claimIdleMs === undefined ? {} : { claimIdleMs: tuning.claimIdleMs }),
    ...(tuning.onError === undefined ? {} : { onError: tuning.onError }),
  };
  if (config.bus.kind === 'redis' && config.bus.redisUrl !== null) {
    return new RedisCommandBus({
      ...common,
      ...tuning.redis,
      url: config.bus.redisUrl,
      queueName: config.bus.queueName,
    });
  }
  return new EmbeddedCommandBus({ ...common, ...tuning.embedded, db });
}
