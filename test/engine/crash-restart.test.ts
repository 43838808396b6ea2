// kill -9 mid-burst, then restart: `centaur engine` runs as a child process against a simulator
// on loopback and a SQLite file; it is SIGKILLed while fills stream in, a restart is refused
// while the dead engine's lease is still valid (exit 3, holder named), then takes over once it
// lapses, and the ledger converges to the broker. SIGTERM then stops it cleanly within 5 s.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/storage/index.js';
import type { Store } from '../../src/ports/store.js';
import { startSimulator } from '../../src/sim/server.js';
import { CENTAUR_RUN_BUDGET_MS, centaurTimeout } from '../support/cli.js';
import { engineChildren, leaseLapsed, readyOrExit } from './engine-child.js';
import { adapterFor, burst, openLedger, PROFILE, waitConverged, waitFor } from './harness.js';

const spawnEngine = engineChildren();

async function readyHolder(store: Store, notHolder: string | null): Promise<string> {
  const hb = await waitFor(
    async () => {
      const h = await store.heartbeats.read(PROFILE);
      return h && h.detail.ready === true && h.holder !== notHolder ? h : null;
    },
    20_000,
    'engine child ready',
  );
  return hb.holder;
}

describe('centaur engine: kill -9 mid-burst, then restart', () => {
  // Timeout: three engine starts one after another; convergence; the stop.
  it('converges after a crash and refuses a second engine while the lease is held', {
    timeout: centaurTimeout(3, 40_000),
  }, async () => {
    const sim = await startSimulator({ rateLimit: 0, partialFillProbability: 0.2, seed: 21 });
    const dir = mkdtempSync(join(tmpdir(), 'centaur-engine-'));
    const url = `sqlite:${join(dir, 'ledger.db')}`;
    const { db } = await openLedger(url);
    const store = createStore(db);
    const env = {
      DATABASE_URL: url,
      ALPACA_TRADING_BASE_URL: sim.tradingUrl,
      ALPACA_DATA_BASE_URL: sim.dataUrl,
      ALPACA_API_KEY: sim.keyId,
      ALPACA_API_SECRET: sim.secret,
      ENGINE_POLL_INTERVAL_SECONDS: '1',
      ENGINE_SYNC_MIN_INTERVAL_SECONDS: '0.2',
      ENGINE_TRADING_WS_MAX_BACKOFF_SECONDS: '1',
      LOG_LEVEL: 'warn',
    };
    try {
      const first = spawnEngine(env);
      const firstHolder = await readyHolder(store, null).catch((e) => {
        throw new Error(`${e.message}\n${first.output()}`);
      });
      burst(sim, 40, ['AAPL', 'MSFT', 'NVDA']);
      await waitFor(async () => (await store.fills.list(PROFILE)).length > 0, 10_000, 'first fills');
      burst(sim, 40, ['AAPL', 'MSFT', 'NVDA']);
      first.child.kill('SIGKILL');
      expect(await first.exited).toBeNull();
      burst(sim, 40, ['AAPL', 'MSFT', 'NVDA']);

      // The dead engine's lease (10 s) must still be valid when a child that may take 15 s to start
      // on a loaded machine asks for it: it is renewed in the dead holder's name (same holder and
      // token, as its own renewal would) for as long as a start may take.
      expect(await store.leases.take(PROFILE, firstHolder, CENTAUR_RUN_BUDGET_MS)).not.toBeNull();
      const refused = spawnEngine(env);
      expect(await refused.exited).toBe(3);
      expect(refused.output()).toContain(firstHolder);

      // Then it lapses (renewed for 1 ms, never again): the next engine takes it at its first try.
      expect(await store.leases.take(PROFILE, firstHolder, 1)).not.toBeNull();
      await leaseLapsed(store);
      const second = spawnEngine(env);
      expect(await readyOrExit(store, second, firstHolder)).toBe('ready');
      const c = await waitConverged(store, adapterFor(sim).broker, 20_000);
      expect(c.missingFills + c.duplicatedFills).toBe(0);
      expect(c.brokerFills).toBeGreaterThanOrEqual(100);

      const t0 = Date.now();
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(await store.leases.get(PROFILE)).toBeNull();
      expect((await store.heartbeats.read(PROFILE))?.streamState).toBe('stopped');
    } finally {
      await store.close();
      await sim.stop();
    }
  });
});
