import { afterAll, describe, expect, it, vi } from 'vitest';
import { EmbeddedCommandBus } from '../../src/adapters/bus/embedded-command-bus.js';
import { createDatabase } from '../../src/adapters/storage/database.js';
import { migrateToLatest } from '../../src/adapters/storage/migrator.js';
import { storeNowMs } from '../../src/adapters/storage/store-clock.js';
import { postgresDatabase, type ScratchDatabase, sqliteFileDatabase } from '../storage/store-harness.js';
import { serviceSuite } from '../support/services.js';
import { type BusFactory, commandBusContract } from './command-bus-contract.js';

const scratches: ScratchDatabase[] = [];
const handles: Array<{ destroy(): Promise<void> }> = [];

afterAll(async () => {
  for (const h of handles) await h.destroy();
  for (const s of scratches) await s.cleanup();
});

/** Each bus gets a fresh migrated database; the twin opens its own handle (another process). */
function embeddedFactory(makeScratch: () => Promise<ScratchDatabase>): BusFactory {
  return async ({ claimIdleMs, maxDeliveries }) => {
    const scratch = await makeScratch();
    scratches.push(scratch);
    const open = async () => {
      const db = createDatabase(scratch.url);
      handles.push(db);
      return db;
    };
    const db = await open();
    await migrateToLatest(db);
    const make = (handle: typeof db) =>
      new EmbeddedCommandBus({ db: handle, claimIdleMs, maxDeliveries, pollMs: 50 });
    const bus = make(db);
    return {
      bus,
      twin: async () => make(await open()),
      deadLetters: async (profileId) => (await bus.deadLetters(profileId)).map((e) => e.commandId),
    };
  };
}

commandBusContract(
  'embedded (SQLite file)',
  embeddedFactory(async () => sqliteFileDatabase()),
);

await serviceSuite('postgres', () => {
  commandBusContract('embedded (Postgres)', embeddedFactory(postgresDatabase));
});

/** The visibility timeout is compared across processes: on Postgres it comes from the server clock. */
await serviceSuite('postgres', () => {
  describe('embedded bus clock (Postgres)', () => {
    it('sets the visibility timeout from the database server clock, not this host clock', async () => {
      const scratch = await postgresDatabase();
      scratches.push(scratch);
      const db = createDatabase(scratch.url);
      handles.push(db);
      await migrateToLatest(db);
      const bus = new EmbeddedCommandBus({ db, claimIdleMs: 60_000, pollMs: 20 });
      let claimed = false;
      // This host's clock is an hour ahead of the server; the claim must not use it.
      const skew = vi
        .spyOn(Date, 'now')
        .mockImplementation(() => performance.timeOrigin + performance.now() + 3_600_000);
      try {
        bus.consume('p1', 'c1', async () => {
          claimed = true;
          await new Promise(() => {}); // keeps the entry claimed
        });
        await bus.publish({ commandId: 'c-1', profileId: 'p1', type: 'kill_switch', enqueuedAt: 'x' });
        while (!claimed) await new Promise((r) => setTimeout(r, 10));
      } finally {
        skew.mockRestore();
      }
      const row = await db.selectFrom('bus_entries').select('claimed_until_key').executeTakeFirstOrThrow();
      const serverNow = await storeNowMs(db);
      const until = Date.parse(row.claimed_until_key ?? '');
      expect(until - serverNow).toBeGreaterThan(50_000);
      expect(until - serverNow).toBeLessThanOrEqual(60_000);
      await bus.close();
    });
  });
});
