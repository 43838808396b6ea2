import { afterAll } from 'vitest';
import { EmbeddedCommandBus } from '../../src/adapters/bus/embedded-command-bus.js';
import { createDatabase } from '../../src/adapters/storage/database.js';
import { migrateToLatest } from '../../src/adapters/storage/migrator.js';
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
