/**
 * The in-code migration list. Imported modules, not a folder scan, so it works the same under
 * tsx and compiled. Names sort in the order they run; add new ones at the end, never edit one
 * that has shipped.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as ledger from './0001-ledger.js';
import * as control from './0002-control.js';
import * as engine from './0003-engine.js';
import * as bus from './0004-bus.js';
import * as marketData from './0006-market-data.js';
import * as leaseFencing from './0007-lease-fencing.js';

export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-ledger': ledger,
  '0002-control': control,
  '0003-engine': engine,
  '0004-bus': bus,
  '0006-market-data': marketData,
  '0007-lease-fencing': leaseFencing,
});

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
