import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
    bus.consume('p1', 'c1', async (d) => {
      got.push(d.envelope.commandId);
    });
    await new Promise((r) => setTimeout(r, 20)); // the consumer is asleep now
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
    engine.consume('p1', 'engine', async (d) => {
      got.push(d.envelope.commandId);
    });
    await new Promise((r) => setTimeout(r, 20));
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
    await until(() => false, 50).catch(() => {});
    const states = await db.selectFrom('bus_entries').select('state').execute();
    expect(states).toEqual([{ state: 'acked' }]);
    await consumer.stop();
    now += 120_000;
    const second = bus.consume('p1', 'c2', async () => {});
    await until(() => false, 100).catch(() => {});
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
