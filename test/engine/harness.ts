// Test support for the engine: a simulator, an in-memory (or file) SQLite ledger, the embedded bus
// and the Alpaca adapter pointed at the simulator, and an engine with short intervals; plus helpers
// that compare the ledger with the broker through the adapter's REST reads and wait on conditions.
import pino from 'pino';
import { createAlpacaBroker } from '../../src/adapters/alpaca/create-alpaca-broker.js';
import { EmbeddedCommandBus } from '../../src/adapters/bus/embedded-command-bus.js';
import { createDatabase, createStore, migrateToLatest } from '../../src/adapters/storage/index.js';
import { systemClock, uuidGenerator } from '../../src/adapters/system/system-clock.js';
import { loadConfig } from '../../src/config/config.js';
import type { Command } from '../../src/core/command.js';
import { dec, ZERO } from '../../src/core/decimal.js';
import { type Draft, draftContentHash } from '../../src/core/draft.js';
import type { OrderIntent } from '../../src/core/order-request.js';
import { type EngineDeps, type RunningEngine, startEngine } from '../../src/engine/engine.js';
import type { EngineOptions } from '../../src/engine/engine-options.js';
import { safetyOptionsFromConfig } from '../../src/engine/safety/safety-options.js';
import type { Broker, FillActivity } from '../../src/ports/broker.js';
import type { CommandBus } from '../../src/ports/command-bus.js';
import type { Store } from '../../src/ports/store.js';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../../src/sim/server.js';

export const PROFILE = 'default';
export const silentLog = pino({ level: 'silent' });

export function adapterFor(sim: RunningSimulator) {
  return createAlpacaBroker({
    tradingBaseUrl: sim.tradingUrl,
    streamUrl: sim.streamUrl,
    dataBaseUrl: sim.dataUrl,
    keyId: sim.keyId,
    secret: sim.secret,
    dataFeed: 'iex',
    budget: { perMinute: 100_000, burst: 1000 },
    retry: { maxRetries: 1, retryDelayMs: 20, maxDelayMs: 50 },
    stream: { connectTimeoutMs: 3000 },
  });
}

export async function openLedger(url = 'sqlite::memory:') {
  const db = createDatabase(url);
  await migrateToLatest(db);
  return { db, store: createStore(db) };
}

/** Risk limits wide enough that the ledger tests exercise the broker, not the risk engine. */
export const permissiveSafety = safetyOptionsFromConfig(
  loadConfig({
    RISK_MAX_ORDER_QTY: '1000000',
    RISK_MAX_ORDER_NOTIONAL: '1000000000',
    RISK_MAX_POSITION_NOTIONAL: '1000000000',
    RISK_MAX_POSITION_PCT_EQUITY: '100000',
    RISK_MAX_OPEN_ORDERS: '100000',
    RISK_MAX_ORDERS_PER_MINUTE: '100000',
    RISK_PRICE_COLLAR_PCT: '1000',
    RISK_MAX_DAILY_LOSS: '100%',
    RISK_ALLOW_SHORT: 'true',
  }),
);

export const fastOptions: EngineOptions = {
  profileId: PROFILE,
  environment: 'paper',
  pollIntervalMs: 1000,
  syncMinIntervalMs: 200,
  enableTradingWs: true,
  maxBackoffMs: 400,
  baseBackoffMs: 50,
  leaseTtlMs: 2000,
  leaseRenewMs: 500,
  heartbeatMs: 200,
  marginMs: 2000,
  streamWaitMs: 3000,
  safety: permissiveSafety,
};

export interface Rig {
  sim: RunningSimulator;
  store: Store;
  db: ReturnType<typeof createDatabase>;
  bus: EmbeddedCommandBus;
  broker: Broker;
  engine: RunningEngine;
  /** A second adapter used only to read the broker's truth in assertions. */
  truth: Broker;
  close(): Promise<void>;
}

export async function startRig(
  simOptions: SimulatorOptions = {},
  options: Partial<EngineOptions> = {},
  extra: Partial<EngineDeps> = {},
  /** Wraps the engine's broker, store or bus (e.g. to record or slow its calls). */
  wrap: {
    broker?: (broker: Broker) => Broker;
    store?: (store: Store) => Store;
    bus?: (bus: CommandBus) => CommandBus;
  } = {},
): Promise<Rig> {
  const sim = await startSimulator({ rateLimit: 0, ...simOptions });
  const { db, store } = await openLedger();
  const bus = new EmbeddedCommandBus({ db, pollMs: 50 });
  const adapter = adapterFor(sim);
  const truth = adapterFor(sim).broker;
  const engine = await startEngine({
    options: { ...fastOptions, ...options },
    store: wrap.store ? wrap.store(store) : store,
    broker: wrap.broker ? wrap.broker(adapter.broker) : adapter.broker,
    tradeStream: adapter.tradeStream,
    bus: wrap.bus ? wrap.bus(bus) : bus,
    clock: systemClock,
    ids: uuidGenerator,
    log: silentLog,
    ...extra,
  });
  return {
    sim,
    store,
    db,
    bus,
    broker: adapter.broker,
    engine,
    truth,
    close: async () => {
      await engine.stop();
      await bus.close();
      await store.close();
      await sim.stop();
    },
  };
}

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A new engine on the rig's simulator, store and bus (the next lease holder after `rig.engine`
 * stopped or died), with a plain broker; returns the rig with that engine, so `close` stops it.
 */
export async function nextEngine(rig: Rig, options: Partial<EngineOptions> = {}): Promise<Rig> {
  const adapter = adapterFor(rig.sim);
  const engine = await startEngine({
    options: { ...fastOptions, ...options },
    store: rig.store,
    broker: adapter.broker,
    tradeStream: adapter.tradeStream,
    bus: rig.bus,
    clock: systemClock,
    ids: uuidGenerator,
    log: silentLog,
  });
  return { ...rig, engine };
}

/**
 * Waits until `n` more full reconciliations have completed (each one moves
 * `status.lastReconcileAt`; runs are spaced by `syncMinIntervalMs`, far above the poll here).
 */
export async function reconciliations(
  rig: Pick<Rig, 'engine'>,
  n: number,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < n; i++) {
    const before = rig.engine.status.lastReconcileAt;
    await waitFor(
      async () => rig.engine.status.lastReconcileAt !== before,
      Math.max(0, deadline - Date.now()),
      `reconciliation ${i + 1} of ${n}`,
    );
  }
}

/**
 * Waits until every delivery of `commandId` the embedded bus holds (at least `count`) has been
 * acknowledged: the engine handled each one to the end (a duplicate included), so whatever a
 * delivery could do has been done.
 */
export async function deliveriesAcked(
  rig: Pick<Rig, 'db'>,
  commandId: string,
  count = 1,
  timeoutMs = 10_000,
) {
  await waitFor(
    async () => {
      const rows = await rig.db
        .selectFrom('bus_entries')
        .select('state')
        .where('command_id', '=', commandId)
        .execute();
      return rows.length >= count && rows.every((r) => r.state === 'acked');
    },
    timeoutMs,
    `${count} deliveries of ${commandId} acknowledged`,
  );
}

/**
 * Stores a confirmed draft for `intent` (as the API's confirm does) and returns the submit_order
 * payload that names it: draft id, content hash, intent.
 */
export async function stageDraft(
  rig: Pick<Rig, 'store'>,
  intent: OrderIntent,
  overrides: Partial<Draft> = {},
): Promise<Record<string, unknown>> {
  const id = uuidGenerator.next();
  const now = new Date();
  const contentHash = draftContentHash(PROFILE, intent);
  await rig.store.drafts.create({
    id,
    profileId: PROFILE,
    intent,
    contentHash,
    preview: {
      estimatedPrice: null,
      estimatedNotional: null,
      shareOfEquity: null,
      buyingPowerAfter: null,
      resultingPositionQty: '0',
    },
    verdict: { allowed: true, checks: [] },
    status: 'confirmed',
    actor: 'test',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 60_000).toISOString(),
    commandId: null,
    ...overrides,
  });
  return { draftId: id, contentHash, intent };
}

export async function sendCommand(
  rig: Pick<Rig, 'store' | 'bus'>,
  type: Command['type'],
  payload: Record<string, unknown>,
  overrides: Partial<Command> = {},
  /** publish: false stores it only, as if the bus had lost it. */
  options: { publish?: boolean } = {},
): Promise<string> {
  const id = overrides.id ?? uuidGenerator.next();
  const now = new Date().toISOString();
  await rig.store.commands.create({
    id,
    profileId: PROFILE,
    type,
    payload,
    actor: 'test',
    idempotencyKey: null,
    correlationId: id,
    status: 'queued',
    result: null,
    error: null,
    attempts: 0,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
    expiresAt: null,
    ...overrides,
  });
  if (options.publish !== false)
    await rig.bus.publish({ commandId: id, profileId: PROFILE, type, enqueuedAt: now });
  return id;
}

export async function finishedCommand(rig: Pick<Rig, 'store'>, id: string, timeoutMs = 10_000) {
  return waitFor(
    async () => {
      const c = await rig.store.commands.get(PROFILE, id);
      return c && ['succeeded', 'failed', 'rejected', 'expired'].includes(c.status) ? c : null;
    },
    timeoutMs,
    `command ${id} to finish`,
  );
}

async function allActivities(broker: Broker): Promise<FillActivity[]> {
  const out: FillActivity[] = [];
  let pageToken: string | undefined;
  for (;;) {
    const page = await broker.listFillActivities({ pageSize: 100, ...(pageToken ? { pageToken } : {}) });
    out.push(...page.fills);
    if (!page.nextPageToken || page.nextPageToken === pageToken) return out;
    pageToken = page.nextPageToken;
  }
}

export interface Comparison {
  missingOrders: string[];
  orderMismatches: string[];
  missingFills: number;
  duplicatedFills: number;
  positionMismatches: string[];
  brokerFills: number;
  ledgerFills: number;
}

/** Compares the ledger with the broker's orders, fills (per order, by count and quantity) and positions. */
export async function compareWithBroker(store: Store, broker: Broker): Promise<Comparison> {
  const orders = await broker.listOrders({
    status: 'all',
    after: '2000-01-01T00:00:00Z',
    direction: 'asc',
    limit: 500,
  });
  const activities = await allActivities(broker);
  const positions = await broker.listPositions();
  const c: Comparison = {
    missingOrders: [],
    orderMismatches: [],
    missingFills: 0,
    duplicatedFills: 0,
    positionMismatches: [],
    brokerFills: activities.length,
    ledgerFills: 0,
  };
  for (const o of orders) {
    const local = await store.orders.get(PROFILE, o.id);
    if (!local) c.missingOrders.push(o.id);
    else if (local.status !== o.status || !dec(local.filledQty).eq(o.filledQty))
      c.orderMismatches.push(`${o.id}: ${local.status}/${local.filledQty} vs ${o.status}/${o.filledQty}`);
  }
  const ledgerFills = await store.fills.list(PROFILE, { limit: 1_000_000 });
  c.ledgerFills = ledgerFills.length;
  const byOrder = new Map<string, { broker: number; ledger: number }>();
  for (const a of activities) {
    const e = byOrder.get(a.orderId) ?? { broker: 0, ledger: 0 };
    e.broker++;
    byOrder.set(a.orderId, e);
  }
  for (const f of ledgerFills) {
    const e = byOrder.get(f.orderId) ?? { broker: 0, ledger: 0 };
    e.ledger++;
    byOrder.set(f.orderId, e);
  }
  for (const e of byOrder.values()) {
    if (e.ledger < e.broker) c.missingFills += e.broker - e.ledger;
    if (e.ledger > e.broker) c.duplicatedFills += e.ledger - e.broker;
  }
  const local = new Map((await store.positions.list(PROFILE)).map((p) => [p.symbol, p.qty]));
  const remote = new Map(positions.map((p) => [p.symbol, p.qty]));
  for (const symbol of new Set([...local.keys(), ...remote.keys()])) {
    if (!dec(local.get(symbol) ?? ZERO).eq(remote.get(symbol) ?? ZERO))
      c.positionMismatches.push(`${symbol}: ${local.get(symbol)} vs ${remote.get(symbol)}`);
  }
  return c;
}

export function converged(c: Comparison): boolean {
  return (
    c.missingOrders.length === 0 &&
    c.orderMismatches.length === 0 &&
    c.missingFills === 0 &&
    c.duplicatedFills === 0 &&
    c.positionMismatches.length === 0
  );
}

/** Waits until the ledger equals the broker; returns the last comparison. */
export async function waitConverged(store: Store, broker: Broker, timeoutMs = 15_000): Promise<Comparison> {
  let last: Comparison | null = null;
  try {
    return await waitFor(
      async () => {
        last = await compareWithBroker(store, broker);
        return converged(last) ? last : null;
      },
      timeoutMs,
      'ledger to converge',
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${JSON.stringify(last, null, 1)}`);
  }
}

/** Submits market orders in-process on the simulator (no REST, so no engine budget is used). */
export function burst(sim: RunningSimulator, n: number, symbols = ['AAPL', 'MSFT'], qty = '1'): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const side = i % 3 === 2 ? 'sell' : 'buy';
    try {
      const order = sim.broker.submit({
        symbol: symbols[i % symbols.length],
        qty,
        side,
        type: 'market',
        time_in_force: 'day',
      });
      ids.push(order.id);
    } catch {
      // refused by the simulator (e.g. its wash-trade check): fewer orders, same convergence test
    }
  }
  return ids;
}

export async function simPost(sim: RunningSimulator, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${sim.tradingUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'APCA-API-KEY-ID': sim.keyId,
      'APCA-API-SECRET-KEY': sim.secret,
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function simStats(
  sim: RunningSimulator,
): Promise<{ requests: Record<string, number>; executions: number; stream: Record<string, number> }> {
  const res = await fetch(`${sim.tradingUrl}/_sim/stats`, {
    headers: { 'APCA-API-KEY-ID': sim.keyId, 'APCA-API-SECRET-KEY': sim.secret },
  });
  return res.json() as never;
}

export function sumQty(values: string[]): string {
  return values.reduce((a, v) => a.plus(v), ZERO).toFixed();
}
