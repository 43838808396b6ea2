import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { RedisCommandBus } from '../../src/adapters/bus/redis-command-bus.js';
import { redisUrl, serviceSuite } from '../support/services.js';
import { commandBusContract } from './command-bus-contract.js';

const url = redisUrl();
const queues: string[] = [];

await serviceSuite('redis', () => {
  commandBusContract('Redis Streams', async ({ claimIdleMs, maxDeliveries }) => {
    const queueName = `centaur-test:${randomUUID()}`;
    queues.push(queueName);
    const make = () => new RedisCommandBus({ url, queueName, claimIdleMs, maxDeliveries, blockMs: 100 });
    const bus = make();
    return {
      bus,
      twin: async () => make(),
      deadLetters: async (profileId) => {
        const redis = new Redis(url);
        try {
          const entries = await redis.xrange(bus.deadLetterKey(profileId), '-', '+');
          return entries.map(([, fields]) => fields[fields.indexOf('commandId') + 1] as string);
        } finally {
          redis.disconnect();
        }
      },
    };
  });

  afterAll(async () => {
    const redis = new Redis(url);
    for (const q of queues) {
      const keys = await redis.keys(`${q}:*`);
      if (keys.length) await redis.del(...keys);
    }
    redis.disconnect();
  });
});
