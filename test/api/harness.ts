/**
 * A real API over a real SQLite store (temp file, migrated) and the embedded bus, driven with
 * inject(). Time is a FakeClock, and the store's clock (`store.now()`, the one the API measures
 * expiry and ages with) reads the same fake clock; ids are real UUIDs. Each harness is independent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { EmbeddedCommandBus } from '../../src/adapters/bus/embedded-command-bus.js';
import { createDatabase, type Database } from '../../src/adapters/storage/database.js';
import { createStore } from '../../src/adapters/storage/kysely-store.js';
import { migrateToLatest } from '../../src/adapters/storage/migrator.js';
import { FakeClock } from '../../src/adapters/system/fake-clock.js';
import { type ApiOptions, buildApp } from '../../src/api/app.js';
import { type Config, loadConfig } from '../../src/config/config.js';
import type { ChangeNotifier } from '../../src/ports/change-notifier.js';
import type { CommandBus } from '../../src/ports/command-bus.js';
import type { Heartbeat, Store } from '../../src/ports/store.js';

export const PROFILE = 'p1';
export const TOKEN = 'test-token-0123456789abcdef';
export const NOW = '2026-08-03T14:00:00.000Z';

export interface Harness {
  app: FastifyInstance;
  store: Store;
  db: Kysely<Database>;
  bus: CommandBus;
  clock: FakeClock;
  config: Readonly<Config>;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  commandCount(): Promise<number>;
  busEntries(): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  bus?: (db: Kysely<Database>) => CommandBus;
  options?: ApiOptions;
  /** The store's clock runs this far ahead of the API's own clock (default 0: the same). */
  storeClockOffsetMs?: number;
  /** Wraps the store the API gets (fault injection); the harness's `store` stays the real one. */
  wrapStore?: (store: Store) => Store;
  /** The change channel the API hears (default none: the SSE feed polls). */
  changes?: ChangeNotifier;
}

export async function harness(opts: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'centaur-api-'));
  const db = createDatabase(`sqlite:${join(dir, 'centaur.db')}`);
  await migrateToLatest(db);
  const clock = new FakeClock(NOW);
  // The store's clock is this host's for SQLite; the harness makes it the fake one.
  const offset = opts.storeClockOffsetMs ?? 0;
  const store: Store = {
    ...createStore(db),
    now: async () => new Date(clock.now().getTime() + offset).toISOString(),
  };
  const bus = opts.bus?.(db) ?? new EmbeddedCommandBus({ db });
  const config = loadConfig({ ENGINE_PROFILE_ID: PROFILE, ...opts.env });
  const log = pino({ level: 'silent' });
  // Drafts do not wait for the engine to price a symbol unless a test asks for it.
  let app: FastifyInstance;
  try {
    app = await buildApp({
      config,
      store: opts.wrapStore?.(store) ?? store,
      bus,
      ...(opts.changes === undefined ? {} : { changes: opts.changes }),
      clock,
      log,
      options: { quoteWaitMs: 0, ...opts.options },
    });
  } catch (error) {
    await bus.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    app,
    store,
    db,
    bus,
    clock,
    config,
    request: (options) => app.inject(options),
    commandCount: async () => (await db.selectFrom('commands').select('id').execute()).length,
    busEntries: async () => (await db.selectFrom('bus_entries').select('seq').execute()).length,
    close: async () => {
      await app.close();
      await bus.close();
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function heartbeat(overrides: Partial<Heartbeat> = {}): Heartbeat {
  return {
    profileId: PROFILE,
    environment: 'paper',
    holder: 'engine-1',
    version: '0.1.0',
    streamState: 'listening',
    lastEventAt: null,
    lastSyncAt: NOW,
    lagMs: 12,
    at: NOW,
    detail: {},
    ...overrides,
  };
}

/** A market the risk engine admits orders in: engine up, core session, an account, AAPL priced. */
export async function seedMarket(
  store: Store,
  opts: { symbols?: Record<string, string>; equity?: string; buyingPower?: string } = {},
): Promise<void> {
  const symbols = opts.symbols ?? { AAPL: '100', MSFT: '400' };
  await store.heartbeats.write(heartbeat());
  await store.watermarks.set(PROFILE, 'market_session', JSON.stringify({ session: 'core', at: NOW }));
  await store.accounts.append(PROFILE, {
    at: NOW,
    status: 'ACTIVE',
    currency: 'USD',
    cash: '100000',
    equity: opts.equity ?? '100000',
    lastEquity: opts.equity ?? '100000',
    buyingPower: opts.buyingPower ?? '200000',
    longMarketValue: '0',
    shortMarketValue: '0',
    multiplier: '2',
    shortingEnabled: true,
    tradingBlocked: false,
    accountBlocked: false,
    tradeSuspendedByUser: false,
    source: 'sync',
  });
  const entries = Object.entries(symbols);
  await store.marketData.upsertAssets(
    PROFILE,
    entries.map(([symbol]) => ({
      symbol,
      name: symbol,
      status: 'active' as const,
      tradable: true,
      fractionable: true,
      shortable: true,
      easyToBorrow: true,
      updatedAt: NOW,
    })),
  );
  await store.marketData.upsertQuotes(
    PROFILE,
    entries.map(([symbol, last]) => ({ symbol, last, bid: last, ask: last, at: NOW })),
  );
}

export const marketBuy = { symbol: 'AAPL', side: 'buy', type: 'market', time_in_force: 'day', qty: '10' };
