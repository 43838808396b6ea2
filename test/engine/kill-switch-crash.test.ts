// Engine killed mid kill switch, as a child process: `centaur engine` runs against an in-process
// simulator with 40 positions and 80 open orders and a SQLite file shared with an in-process API
// (embedded bus); the broker is slowed (REST delay) so the kill switch is still working when the
// engine is SIGKILLed right after `kill_switch.started`. Once the dead engine's lease lapses a new
// engine child takes over: the profile is still HALTED, the same command finishes `succeeded`
// with `flat: true`, and the broker shows zero positions and zero open orders.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedCommandBus } from '../../src/adapters/bus/embedded-command-bus.js';
import { createStore } from '../../src/adapters/storage/index.js';
import { buildApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/config/config.js';
import { startSimulator } from '../../src/sim/server.js';
import { centaurTimeout } from '../support/cli.js';
import { engineChildren, leaseLapsed, readyOrExit } from './engine-child.js';
import { adapterFor, openLedger, PROFILE, silentLog, waitFor } from './harness.js';
import { bookSim, symbolsFor } from './safety-fixture.js';

const spawnEngine = engineChildren();

describe('centaur engine: SIGKILL mid kill switch, then restart', () => {
  // Timeout: two engine starts; the lease lapse (10 s); the kill switch's work.
  it('stays HALTED after the restart and finishes the kill switch: broker flat', {
    timeout: centaurTimeout(2, 50_000),
  }, async () => {
    const symbols = symbolsFor(40);
    const { assets } = bookSim(40);
    const sim = await startSimulator({ rateLimit: 0, assets, seed: 6 });
    const dir = mkdtempSync(join(tmpdir(), 'centaur-ks-crash-'));
    const url = `sqlite:${join(dir, 'ledger.db')}`;
    const { db } = await openLedger(url);
    const store = createStore(db);
    const bus = new EmbeddedCommandBus({ db, pollMs: 20 });
    const app = await buildApp({ config: loadConfig({ DATABASE_URL: url }), store, bus, log: silentLog });
    const truth = adapterFor(sim).broker;
    const simPost = async (path: string, body: unknown) => {
      const res = await fetch(`${sim.tradingUrl}${path}`, {
        method: 'POST',
        headers: {
          'APCA-API-KEY-ID': sim.keyId,
          'APCA-API-SECRET-KEY': sim.secret,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      return res.json();
    };
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
      await simPost('/_sim/reset', {
        cash: '10000000',
        positions: symbols.map((symbol) => ({ symbol, qty: '10', avg_entry_price: '100' })),
      });
      await Promise.all(
        Array.from({ length: 80 }, (_, i) =>
          truth.submitOrder({
            symbol: symbols[i % symbols.length] as string,
            side: 'buy',
            qty: '1',
            type: 'limit',
            limitPrice: '50.00',
            timeInForce: 'gtc',
            extendedHours: false,
            clientOrderId: `outside-${i}`,
          }),
        ),
      );
      expect(await truth.listPositions()).toHaveLength(40);
      expect(await truth.listOrders({ status: 'open', limit: 500 })).toHaveLength(80);

      const first = spawnEngine(env);
      expect(await readyOrExit(store, first, null).catch((e) => `${e}\n${first.output()}`)).toBe('ready');
      const firstHolder = (await store.heartbeats.read(PROFILE))?.holder as string;

      await simPost('/_sim/faults', { rest_delay_ms: 1500 });
      const posted = await app.inject({
        method: 'POST',
        url: '/commands/kill-switch',
        payload: { confirm_token: 'PAPER', reason: 'crash test' },
      });
      expect(posted.statusCode, posted.body).toBe(202);
      const commandId = (posted.json() as { command: { id: string } }).command.id;

      await waitFor(
        async () =>
          (await store.tradingState.get(PROFILE))?.state === 'HALTED' &&
          (await store.audit.list(PROFILE, { action: 'kill_switch.started' })).length > 0,
        10_000,
        'kill switch started (HALTED persisted)',
      );
      first.child.kill('SIGKILL');
      await first.exited;
      expect(first.child.signalCode).toBe('SIGKILL');
      expect((await store.commands.get(PROFILE, commandId))?.status).toBe('running');
      // The dead engine got nowhere near flat: the broker still holds the book.
      expect((await truth.listPositions()).length).toBeGreaterThan(0);
      await simPost('/_sim/faults', {});

      // Restart once the dead engine's lease (10 s TTL) has lapsed: taken at the first try.
      await leaseLapsed(store);
      const second = spawnEngine(env);
      const outcome = await readyOrExit(store, second, firstHolder);
      expect(outcome, second.output()).toBe('ready');

      const done = await waitFor(
        async () => {
          const c = await store.commands.get(PROFILE, commandId);
          return c && c.status !== 'running' && c.status !== 'queued' ? c : null;
        },
        15_000,
        'kill switch finished by the new engine',
      ).catch((e) => {
        throw new Error(`${e}\n${second.output()}`);
      });
      expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
      expect(done.result).toMatchObject({ flat: true });
      expect((await store.tradingState.get(PROFILE))?.state).toBe('HALTED');
      const profile = await app.inject({ method: 'GET', url: '/state/profile' });
      expect(profile.json()).toMatchObject({ trading_state: { state: 'HALTED' } });
      expect(await truth.listPositions()).toEqual([]);
      expect(await truth.listOrders({ status: 'open', limit: 500 })).toEqual([]);
      expect(
        (await store.audit.list(PROFILE, { action: 'kill_switch.started' })).map((e) => e.data.resumed),
      ).toEqual(expect.arrayContaining([true]));

      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      await app.close();
      await bus.close();
      await store.close();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
