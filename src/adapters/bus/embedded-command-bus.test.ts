import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/config.js';
import type { CommandEnvelope } from '../../ports/command-bus.js';
import { createDatabase, type Database } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrator.js';
import { createCommandBus } from './create-command-bus.js';
import { EmbeddedCommandBus } from './embedded-command-bus.js';
import { RedisCommandBus } from './redis-command-bus.js';

const envelope = (profileId = 'p1'): CommandEnvelope => ({
  commandId: randomUUID(),
  profileId,
  type: 'submit_order',
  enqueuedAt: new Date().toISOString(),
});

async function until(predicate: () => boolean, ms = 2_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function untilAsync(predicate: () => Promise<boolean>, ms = 2_000): Promise<void> {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Watches for a consumer going to sleep: its wait for the next poll is a timer of exactly
 * `pollMs`. Resolves once such a timer has been set (the consumer is asleep), then stops watching.
 */
function asleep(pollMs: number): { wait(): Promise<void> } {
  const timers = vi.spyOn(globalThis, 'setTimeout');
  return {
    async wait() {
      try {
        await until(() => timers.mock.calls.some(([, ms]) => ms === pollMs), 1_000);
      } finally {
        timers.mockRestore();
      }
    },
  };
}

describe('EmbeddedCommandBus', () => {
  let db: Kysely<Database>;
  beforeEach(async () => {
    db = createDatabase('sqlite::memory:');
    await migrateToLatest(db);
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('wakes an in-process consumer at once instead of waiting for the poll', async () => {
    const bus = new EmbeddedCommandBus({ db, pollMs: 60_000 });
    const got: string[] = [];
    const sleeping = asleep(60_000);
    bus.consume('p1', 'c1', async (d) => {
      got.push(d.envelope.commandId);
    });
    await sleeping.wait(); // the consumer found nothing and waits for the next poll
    const e = envelope();
    const start = Date.now();
    await bus.publish(e);
    await until(() => got.length === 1, 1_000);
    expect(Date.now() - start).toBeLessThan(500);
    expect(got).toEqual([e.commandId]);
    await bus.close();
  });

  it('wakes consumers of another bus sharing the database handle', async () => {
    const api = new EmbeddedCommandBus({ db, pollMs: 60_000 });
    const engine = new EmbeddedCommandBus({ db, pollMs: 60_000 });
    const got: string[] = [];
    const sleeping = asleep(60_000);
    engine.consume('p1', 'engine', async (d) => {
      got.push(d.envelope.commandId);
    });
    await sleeping.wait();
    await api.publish(envelope());
    await until(() => got.length === 1, 1_000);
    await Promise.all([api.close(), engine.close()]);
  });

  it('acknowledges a delivered entry and prunes acknowledged entries after the retention', async () => {
    let now = Date.parse('2026-08-03T13:30:00Z');
    const bus = new EmbeddedCommandBus({ db, pollMs: 10, retainAckedMs: 1_000, now: () => now });
    await bus.publish(envelope());
    let delivered = 0;
    const consumer = bus.consume('p1', 'c1', async () => {
      delivered += 1;
    });
    await until(() => delivered === 1);
    const states = () => db.selectFrom('bus_entries').select('state').execute();
    await untilAsync(async () => (await states()).every((r) => r.state === 'acked'));
    expect(await states()).toEqual([{ state: 'acked' }]);
    await consumer.stop();
    now += 120_000;
    const second = bus.consume('p1', 'c2', async () => {});
    await untilAsync(async () => (await states()).length === 0);
    expect(await db.selectFrom('bus_entries').selectAll().execute()).toEqual([]);
    await second.stop();
    await bus.close();
  });

  it('is unhealthy and refuses to publish once closed', async () => {
    const bus = new EmbeddedCommandBus({ db });
    expect(await bus.healthy()).toBe(true);
    await bus.close();
    expect(await bus.healthy()).toBe(false);
    await expect(bus.publish(envelope())).rejects.toThrow(/closed/);
  });

  it('is unhealthy when the database is gone', async () => {
    const other = createDatabase('sqlite::memory:');
    const bus = new EmbeddedCommandBus({ db: other });
    expect(await bus.healthy()).toBe(false); // not migrated: no bus_entries table
    await other.destroy();
  });
});

describe('createCommandBus', () => {
  it('chooses the embedded bus without REDIS_URL and Redis Streams with it', async () => {
    const db = createDatabase('sqlite::memory:');
    const embedded = createCommandBus(loadConfig({}), db);
    expect(embedded).toBeInstanceOf(EmbeddedCommandBus);
    const redis = createCommandBus(loadConfig({ REDIS_URL: 'redis://127.0.0.1:1' }), db, {
      maxDeliveries: 2,
      claimIdleMs: 10,
      onError: () => {},
    });
    expect(redis).toBeInstanceOf(RedisCommandBus);
    expect(await redis.healthy()).toBe(false);
    await Promise.all([embedded.close(), redis.close()]);
    await db.destroy();
  });
});
