/**
 * Engine benchmark against the in-process simulator, through the Alpaca adapter (REST + the
 * trade_updates WebSocket over loopback) and a SQLite file ledger (WAL), with the production
 * intervals ENGINE_SYNC_MIN_INTERVAL_SECONDS=3 and ENGINE_POLL_INTERVAL_SECONDS=10:
 *  1. fill -> visible in the store: from the simulator emitting an execution to the commit of the
 *     transaction that inserted its fill (p50/p90/p99/max), one order at a time, paced;
 *  2. broker REST calls during a 10,000-fill storm spread over one minute, counted by the
 *     simulator (/_sim/stats, every HTTP request the engine made), in total and per 60 s window,
 *     trading API apart from market data (Alpaca limits the two separately; the 200 a minute is
 *     the trading API's).
 *     Two shapes: 10,000 single-fill orders, and large orders worked in partial fills.
 * Run: npx tsx bench/engine/engine-bench.ts [latencySamples=500] [stormFills=10000] [stormSeconds=60]
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createAlpacaBroker } from '../../src/adapters/alpaca/create-alpaca-broker.js';
import { EmbeddedCommandBus } from '../../src/adapters/bus/embedded-command-bus.js';
import { createDatabase, createStore, migrateToLatest } from '../../src/adapters/storage/index.js';
import { systemClock, uuidGenerator } from '../../src/adapters/system/system-clock.js';
import { startEngine } from '../../src/engine/engine.js';
import type { Broker } from '../../src/ports/broker.js';
import type { Repositories, Store } from '../../src/ports/store.js';
import { type RunningSimulator, startSimulator } from '../../src/sim/server.js';

const latencySamples = Number(process.argv[2] ?? 500);
const stormFills = Number(process.argv[3] ?? 10_000);
const stormSeconds = Number(process.argv[4] ?? 60);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wraps a store so the commit time of every inserted fill is recorded. */
function timedStore(inner: Store, committed: Map<string, number>): Store {
  return {
    ...inner,
    transaction: async (work) => {
      const inserted: string[] = [];
      const result = await inner.transaction((tx) => {
        const fills: Repositories['fills'] = {
          ...tx.fills,
          insert: async (p, f) => {
            const ok = await tx.fills.insert(p, f);
            if (ok) inserted.push(f.executionId);
            return ok;
          },
        };
        return work({ ...tx, fills });
      });
      const now = performance.now();
      for (const id of inserted) committed.set(id, now);
      return result;
    },
  };
}

/** Counts broker calls by time, to see the per-window distribution (the simulator counts HTTP). */
function countingBroker(inner: Broker, calls: { at: number; name: string }[]): Broker {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push({ at: performance.now(), name: String(prop) });
        return value.apply(target, args);
      };
    },
  });
}

async function rig(simOptions: Parameters<typeof startSimulator>[0]) {
  const sim = await startSimulator({ rateLimit: 0, cash: '1000000000', ...simOptions });
  const dir = mkdtempSync(join(os.tmpdir(), 'centaur-engine-bench-'));
  const db = createDatabase(`sqlite:${join(dir, 'ledger.db')}`);
  await migrateToLatest(db);
  const committed = new Map<string, number>();
  const store = timedStore(createStore(db), committed);
  const adapter = createAlpacaBroker({
    tradingBaseUrl: sim.tradingUrl,
    streamUrl: sim.streamUrl,
    dataBaseUrl: sim.dataUrl,
    keyId: sim.keyId,
    secret: sim.secret,
    dataFeed: 'iex',
  });
  const calls: { at: number; name: string }[] = [];
  const bus = new EmbeddedCommandBus({ db });
  const engine = await startEngine({
    options: {
      profileId: 'default',
      environment: 'paper',
      pollIntervalMs: 10_000,
      syncMinIntervalMs: 3_000,
      enableTradingWs: true,
      maxBackoffMs: 30_000,
    },
    store,
    broker: countingBroker(adapter.broker, calls),
    tradeStream: adapter.tradeStream,
    bus,
    clock: systemClock,
    ids: uuidGenerator,
    log: pino({ level: 'silent' }),
  });
  await engine.ready();
  await engine.streamHealthy();
  const emitted = new Map<string, number>();
  sim.broker.onEvent((e) => {
    if (e.execution) emitted.set(e.execution.id, performance.now());
  });
  return {
    sim,
    engine,
    committed,
    emitted,
    calls,
    close: async () => {
      await engine.stop();
      await bus.close();
      await store.close();
      await sim.stop();
    },
  };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Market-data routes: Alpaca limits them apart from the trading API's 200 a minute. */
const isDataRoute = (route: string) => route.includes('/stocks/');
/** The adapter's market-data calls (the market-data cache refresher's quotes). */
const DATA_METHODS = new Set(['getQuotes']);

/** HTTP requests the simulator served, trading API and market data apart (control routes excluded). */
async function restCount(sim: RunningSimulator): Promise<{ trading: number; data: number }> {
  const res = await fetch(`${sim.tradingUrl}/_sim/stats`, {
    headers: { 'APCA-API-KEY-ID': sim.keyId, 'APCA-API-SECRET-KEY': sim.secret },
  });
  const stats = (await res.json()) as { requests: Record<string, number> };
  const out = { trading: 0, data: 0 };
  for (const [route, n] of Object.entries(stats.requests)) {
    if (route.includes('/_sim/')) continue;
    out[isDataRoute(route) ? 'data' : 'trading'] += n;
  }
  return out;
}

async function latency() {
  const r = await rig({});
  const samples: number[] = [];
  for (let i = 0; i < latencySamples + 50; i++) {
    const order = r.sim.broker.submit({
      symbol: 'AAPL',
      qty: '1',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
    });
    const t = performance.now();
    while (performance.now() - t < 2000) {
      const fill = [...r.emitted.keys()].find((id) => r.committed.has(id));
      if (fill) break;
      await sleep(1);
    }
    for (const [id, at] of r.emitted) {
      const done = r.committed.get(id);
      if (done !== undefined) {
        if (i >= 50) samples.push(done - at);
        r.emitted.delete(id);
      }
    }
    void order;
    await sleep(20);
  }
  await r.close();
  samples.sort((a, b) => a - b);
  return {
    n: samples.length,
    p50: pct(samples, 50),
    p90: pct(samples, 90),
    p99: pct(samples, 99),
    max: samples.at(-1) ?? 0,
  };
}

async function storm(shape: 'single' | 'partial') {
  const r = await rig(shape === 'partial' ? { partialFillProbability: 0.97, seed: 3 } : {});
  const before = await restCount(r.sim);
  r.calls.length = 0;
  const started = performance.now();
  const stepMs = 100;
  const steps = (stormSeconds * 1000) / stepMs;
  const executions = () => r.emitted.size;
  let orders = 0;
  for (let step = 0; step < steps && executions() < stormFills; step++) {
    // executions happen asynchronously: submit what the deficit needs at the observed fills/order
    const due = Math.ceil(((step + 1) * stormFills) / steps);
    const perOrder = orders > 20 ? Math.max(1, executions() / orders) : shape === 'partial' ? 4 : 1;
    const n = Math.max(0, Math.ceil((due - executions()) / perOrder) - (shape === 'partial' ? 0 : 0));
    for (let i = 0; i < n; i++, orders++) {
      const qty = shape === 'partial' ? '100' : '1';
      r.sim.broker.submit({
        symbol: i % 2 ? 'AAPL' : 'MSFT',
        qty,
        side: 'buy',
        type: 'market',
        time_in_force: 'day',
      });
    }
    const next = started + (step + 1) * stepMs;
    await sleep(Math.max(0, next - performance.now()));
  }
  const stormMs = performance.now() - started;
  const afterStorm = await restCount(r.sim);
  const fills = executions();
  while (r.committed.size < fills && performance.now() - started < stormMs + 30_000) await sleep(50);
  const drainedMs = performance.now() - started;
  await sleep(15_000);
  const windows: number[] = [];
  for (let t = started; t + 60_000 <= performance.now(); t += 1000) {
    windows.push(r.calls.filter((c) => c.at >= t && c.at < t + 60_000 && !DATA_METHODS.has(c.name)).length);
  }
  const total = await restCount(r.sim);
  const byMethod: Record<string, number> = {};
  for (const c of r.calls.filter((x) => x.at < started + stormMs))
    byMethod[c.name] = (byMethod[c.name] ?? 0) + 1;
  const lag = [...r.emitted]
    .map(([id, at]) => (r.committed.get(id) ?? Number.NaN) - at)
    .sort((a, b) => a - b);
  await r.close();
  return {
    shape,
    orders,
    fills,
    stormSeconds: +(stormMs / 1000).toFixed(1),
    tradingCallsDuringStorm: afterStorm.trading - before.trading,
    tradingCallsIncluding15sAfter: total.trading - before.trading,
    maxTradingCallsInAny60sWindow: windows.length ? Math.max(...windows) : null,
    marketDataCallsDuringStorm: afterStorm.data - before.data,
    adapterCallsDuringStorm: byMethod,
    allFillsStoredAfterSeconds: +(drainedMs / 1000).toFixed(1),
    stored: r.committed.size,
    fillLagP50: +pct(lag, 50).toFixed(2),
    fillLagP99: +pct(lag, 99).toFixed(2),
  };
}

const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}`;
console.log(`engine benchmark on ${machine}`);
const lat = await latency();
console.log(
  'fill -> visible in store (ms):',
  JSON.stringify(lat, (_k, v) => (typeof v === 'number' ? +v.toFixed(2) : v)),
);
for (const shape of ['single', 'partial'] as const)
  console.log('REST during storm:', JSON.stringify(await storm(shape)));
