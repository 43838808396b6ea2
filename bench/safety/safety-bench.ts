/**
 * Execution-safety benchmark (run: `npx tsx bench/safety/safety-bench.ts`):
 *  1. Kill switch with 100 positions and 200 open orders (placed straight at the simulator), from
 *     the POST /commands/kill-switch to the broker showing zero positions and zero open orders
 *     (polled through a separate adapter, not counted), with the broker REST calls the kill switch
 *     made (its report's rest_calls). Targets: p50 <= 1.5 s, <= 10 calls.
 *  2. Confirm -> broker `new` over Redis: POST /commands/confirm until the `new` trade update of
 *     the draft's client order id arrives on a separate stream connection, with an unthrottled
 *     engine adapter back to back and with the production budget at a person's pace (see
 *     confirmToNew), with the engine's broker REST calls per confirm on the order lanes (entry and
 *     exit: the pre-submit reads and the submit). Target: p50 <= 15 ms.
 * Everything in one process: simulator (no rate limit), SQLite ledger (Postgres with
 * BENCH_POSTGRES_URL), bus, engine, API.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { createAlpacaBroker } from '../../src/adapters/alpaca/create-alpaca-broker.js';
import { EmbeddedCommandBus } from '../../src/adapters/bus/embedded-command-bus.js';
import { RedisCommandBus } from '../../src/adapters/bus/redis-command-bus.js';
import { createDatabase, createStore, migrateToLatest } from '../../src/adapters/storage/index.js';
import { systemClock, uuidGenerator } from '../../src/adapters/system/system-clock.js';
import { buildApp } from '../../src/api/app.js';
import { listen } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/config.js';
import { startEngine } from '../../src/engine/engine.js';
import { engineOptionsFromConfig } from '../../src/engine/engine-options.js';
import type { Broker } from '../../src/ports/broker.js';
import type { CommandBus } from '../../src/ports/command-bus.js';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../../src/sim/server.js';

const log = pino({ level: 'silent' });
const config = loadConfig({
  API_PORT: '0',
  LOG_LEVEL: 'silent',
  RISK_MAX_ORDERS_PER_MINUTE: '100000',
  RISK_MAX_OPEN_ORDERS: '100000',
  RISK_MAX_DAILY_LOSS: '100%',
});

/** The engine's adapter keeps the production REST budget; the bench's own reads are unthrottled. */
function adapter(sim: RunningSimulator, unthrottled = false) {
  return createAlpacaBroker({
    ...(unthrottled ? { budget: { perMinute: 1_000_000, burst: 10_000 } } : {}),
    tradingBaseUrl: sim.tradingUrl,
    streamUrl: sim.streamUrl,
    dataBaseUrl: sim.dataUrl,
    keyId: sim.keyId,
    secret: sim.secret,
    dataFeed: 'iex',
  });
}

/** Counts the engine's broker calls on a submit's lanes (the background reads use 'read'). */
function countOrderLanes(broker: Broker, counter: { calls: number }): Broker {
  return new Proxy(broker, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const lane = (args.at(-1) as { lane?: string } | undefined)?.lane;
        if (lane === 'entry' || lane === 'exit') counter.calls += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** The samples over 50 ms as `#index: ms` (index from 0), or `none`. */
function slow(values: number[]): string {
  const over = values.flatMap((v, i) => (v > 50 ? [`#${i}: ${v.toFixed(0)} ms`] : []));
  return over.length ? over.join(', ') : 'none';
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

/**
 * A new, empty ledger: SQLite in a temporary folder, or with BENCH_POSTGRES_URL (a server URL whose
 * user may create databases) a new Postgres database, dropped afterwards.
 */
async function freshLedger(): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = process.env.BENCH_POSTGRES_URL;
  if (!server) {
    const dir = mkdtempSync(join(tmpdir(), 'centaur-bench-safety-'));
    return {
      url: `sqlite:${join(dir, 'bench.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `centaur_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function system(
  simOptions: SimulatorOptions,
  bus: (db: ReturnType<typeof createDatabase>) => CommandBus,
  engineUnthrottled = false,
) {
  const sim = await startSimulator({ rateLimit: 0, ...simOptions });
  const ledger = await freshLedger();
  const db = createDatabase(ledger.url);
  await migrateToLatest(db);
  const store = createStore(db);
  const commandBus = bus(db);
  const a = adapter(sim, engineUnthrottled);
  const orderLanes = { calls: 0 };
  const engine = await startEngine({
    options: { ...engineOptionsFromConfig(config), importHistory: false },
    store,
    broker: countOrderLanes(a.broker, orderLanes),
    tradeStream: a.tradeStream,
    bus: commandBus,
    clock: systemClock,
    ids: uuidGenerator,
    log,
  });
  await engine.ready();
  const app = await buildApp({ config, store, bus: commandBus, log });
  const api = await listen(app, '127.0.0.1', 0);
  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await r.json()) as Record<string, unknown>;
  };
  return {
    sim,
    store,
    post,
    orderLanes,
    stop: async () => {
      await api.close();
      await engine.stop();
      await commandBus.close();
      await store.close();
      await sim.stop();
      await ledger.drop();
    },
  };
}

async function killSwitchRun(): Promise<{ ms: number; calls: number; commandMs: number }> {
  const symbols = Array.from({ length: 100 }, (_, i) => `B${String(i).padStart(3, '0')}`);
  const s = await system(
    {
      assets: symbols.map((symbol) => ({ symbol, price: '100.00', name: symbol })),
      cash: '10000000',
      positions: symbols.map((symbol) => ({ symbol, qty: '10', avg_entry_price: '100' })),
    },
    (db) => new EmbeddedCommandBus({ db, pollMs: 5 }),
  );
  const truth = adapter(s.sim, true).broker;
  await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      truth.submitOrder({
        symbol: symbols[i % 100] as string,
        side: 'buy',
        qty: '1',
        type: 'limit',
        limitPrice: '50.00',
        timeInForce: 'gtc',
        extendedHours: false,
        clientOrderId: `outside-${randomUUID()}`,
      }),
    ),
  );
  const t0 = performance.now();
  const posted = await s.post('/commands/kill-switch', { confirm_token: 'PAPER', reason: 'bench' });
  const commandId = (posted.command as { id: string }).id;
  for (;;) {
    const [p, o] = await Promise.all([
      truth.listPositions(),
      truth.listOrders({ status: 'open', limit: 500 }),
    ]);
    if (p.length === 0 && o.length === 0) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = performance.now() - t0;
  let result: Record<string, unknown> | null = null;
  for (;;) {
    const c = await s.store.commands.get('default', commandId);
    if (c && c.status !== 'queued' && c.status !== 'running') {
      result = c.result as Record<string, unknown>;
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const commandMs = performance.now() - t0;
  await s.stop();
  return { ms, calls: Number(result?.rest_calls), commandMs };
}

/**
 * With the trade stream healthy and the market cache warm, a confirm costs the engine 2 broker
 * REST calls: the account read of the pre-submit check and the submit (positions and open orders
 * come from the stream-fed ledger, quote, asset and clock from the refresher's cache; see
 * src/engine/commands/pre-submit-risk.ts). It used to cost 7, and under the production budget
 * (190/min, burst 10) back-to-back confirms queued for tokens (~2.2 s each): that throughput
 * limit, not a hang, is what made the first version of this part look stuck. The latency is
 * measured (a) with an unthrottled engine adapter, back to back, and (b) with the production
 * budget at a person's pace (one confirm every `paceMs`, the bucket refilled).
 */
async function confirmToNew(
  samples: number,
  production: boolean,
  paceMs: number,
): Promise<{ lat: number[]; callsPerConfirm: number } | null> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const probe = new RedisCommandBus({ url, queueName: `probe-${randomUUID()}` });
  const ok = await probe.healthy();
  await probe.close();
  if (!ok) return null;
  const s = await system(
    { positions: [{ symbol: 'AAPL', qty: '10', avg_entry_price: '190' }], maxStreamsPerKey: 2 },
    () => new RedisCommandBus({ url, queueName: `centaur-bench:${randomUUID()}`, blockMs: 1000 }),
    !production,
  );
  const waiting = new Map<string, (t: number) => void>();
  const stream = adapter(s.sim, true).tradeStream;
  await stream.connect({
    onUpdate: (u) => {
      if (u.event === 'new') waiting.get(u.order.clientOrderId)?.(performance.now());
    },
    onState: () => {},
  });
  const out: number[] = [];
  let denied = 0;
  let orderLaneCalls = 0;
  for (let i = 0; out.length < samples; i++) {
    // Paced from the start: the first confirm too waits `paceMs` after the engine is ready, so it
    // does not meet a REST bucket the startup reconciliation and first refresher cycle just drained.
    if (production) await new Promise((r) => setTimeout(r, paceMs));
    // Buy and sell in turn: the AAPL position stays at 10-11 shares, so the position limits
    // (RISK_MAX_POSITION_*) never start denying drafts part way through the run.
    const draft = await s.post('/commands/draft', {
      symbol: 'AAPL',
      side: i % 2 === 0 ? 'buy' : 'sell',
      qty: '1',
      type: 'market',
      time_in_force: 'day',
    });
    const allowed = (draft.verdict as { allowed?: boolean } | undefined)?.allowed;
    if (allowed !== true) {
      if (++denied > 10) throw new Error(`draft not allowed: ${JSON.stringify(draft).slice(0, 800)}`);
      await new Promise((r) => setTimeout(r, 500)); // quote not cached yet
      i--;
      continue;
    }
    const coid = `ctr-draft-${draft.id}`;
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<number>((resolve, reject) => {
      waiting.set(coid, resolve);
      timer = setTimeout(() => reject(new Error(`no new event for ${coid}`)), 10_000);
    });
    const before = s.orderLanes.calls;
    const t0 = performance.now();
    await s.post('/commands/confirm', { draft_id: draft.id });
    const t1 = await arrived.finally(() => {
      clearTimeout(timer);
      waiting.delete(coid);
    });
    out.push(t1 - t0);
    // The submit's calls are all made before the `new` event can exist.
    orderLaneCalls += s.orderLanes.calls - before;
  }
  await stream.close();
  await s.stop();
  return { lat: out, callsPerConfirm: orderLaneCalls / out.length };
}

async function main(): Promise<void> {
  console.log(
    `node ${process.version}, ${cpus().length} cpus, ledger ${process.env.BENCH_POSTGRES_URL ? 'Postgres' : 'SQLite'}`,
  );
  const runs: Array<{ ms: number; calls: number; commandMs: number }> = [];
  for (let i = 0; i < Number(process.env.KS_RUNS ?? 7); i++) runs.push(await killSwitchRun());
  const ms = runs.map((r) => r.ms);
  if (runs.length)
    console.log(
      `kill switch 100 positions + 200 orders -> broker flat: p50 ${pct(ms, 50).toFixed(0)} ms, max ${Math.max(...ms).toFixed(0)} ms; ` +
        `command finished p50 ${pct(
          runs.map((r) => r.commandMs),
          50,
        ).toFixed(0)} ms; REST calls per run ${runs.map((r) => r.calls).join(', ')} (${runs.length} runs)`,
    );
  const fast = await confirmToNew(Number(process.env.CONFIRM_SAMPLES ?? 200), false, 0);
  if (fast === null) console.log('Redis not reachable: confirm -> new skipped');
  else {
    const { lat, callsPerConfirm } = fast;
    console.log(
      `confirm -> broker new over Redis, unthrottled engine adapter, back to back: p50 ${pct(lat, 50).toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms (${lat.length} samples; ${callsPerConfirm.toFixed(2)} REST calls per confirm; over 50 ms: ${slow(lat)})`,
    );
    const paced = await confirmToNew(Number(process.env.PACED_SAMPLES ?? 15), true, 2500);
    if (paced?.lat.length)
      console.log(
        `confirm -> broker new over Redis, production REST budget, one confirm per 2.5 s: p50 ${pct(paced.lat, 50).toFixed(1)} ms, p99 ${pct(paced.lat, 99).toFixed(1)} ms (${paced.lat.length} samples; ${paced.callsPerConfirm.toFixed(2)} REST calls per confirm; over 50 ms: ${slow(paced.lat)})`,
      );
  }
}

process.on('exit', (c) => {
  if (c !== 0) console.error('exit', c);
});
process.on('unhandledRejection', (e) => console.error('unhandled', e));
await main();
process.exit(0);
