/**
 * The Redis pub/sub change channel on the machine's Redis: the channel contract between two
 * notifiers (two processes' connections), then reconnects: a killed subscriber connection comes
 * back by itself, subscribes again and asks for a resync; a change announced while the publisher
 * connection is down is held and published once it is back. Each test uses its own prefix.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { RedisChangeNotifier } from '../../src/adapters/changes/redis-change-notifier.js';
import { describeIfRedis, redisUrl } from '../support/services.js';
import { changeNotifierContract } from './change-notifier-contract.js';
import { Recorder } from './recorder.js';

const unique = () => randomUUID().replaceAll('-', '').slice(0, 12);

function notifier(prefix: string, connectionName: string): RedisChangeNotifier {
  return new RedisChangeNotifier({ url: redisUrl(), prefix, connectionName });
}

/** Kills the connections whose CLIENT name is `name`; returns how many. */
async function kill(name: string): Promise<number> {
  const admin = new Redis(redisUrl());
  try {
    const list = (await admin.client('LIST')) as string;
    const ids = list
      .split('\n')
      .filter((line) => line.includes(` name=${name} `))
      .map((line) => /\bid=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    for (const id of ids) await admin.client('KILL', 'ID', id);
    return ids.length;
  } finally {
    admin.disconnect();
  }
}

await describeIfRedis('Redis pub/sub change channel', () => {
  changeNotifierContract(
    async () => {
      const prefix = `centaur-test:${unique()}:changes`;
      const announcer = notifier(prefix, `centaur-test-a-${unique()}`);
      const listener = notifier(prefix, `centaur-test-l-${unique()}`);
      return {
        announcer,
        listener,
        close: async () => {
          await announcer.close();
          await listener.close();
        },
      };
    },
    (recorder) => recorder.resynced(1),
  );

  const open: RedisChangeNotifier[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((n) => n.close()));
  });

  it('subscribes again after its connection is killed, and asks for a resync', async () => {
    const prefix = `centaur-test:${unique()}:changes`;
    const listenerName = `centaur-test-l-${unique()}`;
    const announcer = notifier(prefix, `centaur-test-a-${unique()}`);
    const listener = notifier(prefix, listenerName);
    open.push(announcer, listener);
    const recorder = new Recorder();
    listener.subscribe('p1', recorder);
    await recorder.resynced(1);
    expect(await kill(`${listenerName}-sub`)).toBe(1);
    await recorder.resynced(2);
    announcer.announce({ profileId: 'p1', kind: 'positions', ids: ['after-reconnect'] });
    await recorder.heardChange('positions', 'after-reconnect');
  });

  it('holds a change announced while the publisher is down and publishes it once back', async () => {
    const prefix = `centaur-test:${unique()}:changes`;
    const announcerName = `centaur-test-a-${unique()}`;
    const announcer = notifier(prefix, announcerName);
    const listener = notifier(prefix, `centaur-test-l-${unique()}`);
    open.push(announcer, listener);
    const recorder = new Recorder();
    listener.subscribe('p1', recorder);
    await recorder.resynced(1);
    announcer.announce({ profileId: 'p1', kind: 'commands', ids: ['first'] });
    await recorder.heardChange('commands', 'first');
    expect(await kill(`${announcerName}-pub`)).toBe(1);
    announcer.announce({ profileId: 'p1', kind: 'commands', ids: ['second'] });
    await recorder.heardChange('commands', 'second');
  });
});
