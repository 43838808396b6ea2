/**
 * The embedded entry point: `startSimulator()` builds the market, the broker, the HTTP app and the
 * trade stream, listens on 127.0.0.1 (a free port by default) and returns URLs, keys and an
 * in-process handle for tests. Used by tests, the all-in-one start and `centaur sim`.
 * Must preserve: nothing moves prices unless asked (the ticker is off by default), so a seed and a
 * sequence of requests replay the same outcome; `stop()` releases the port and every socket.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { dec } from '../core/decimal.js';
import { AssetRegistry, type AssetSpec, defaultUniverse } from './assets.js';
import { SimBroker } from './broker.js';
import { noFaults } from './faults.js';
import { buildSimApp } from './http-app.js';
import { Market } from './market.js';
import { parseInstant } from './query.js';
import { RateLimiter } from './rate-limit.js';
import { stableUuid, streamFor } from './rng.js';
import { parsePrices } from './routes-control.js';
import { type ClockMode, SimClock } from './sim-clock.js';
import type { SimContext } from './sim-context.js';
import { TradeStreamServer } from './trade-stream.js';

export interface SimulatorOptions {
  /** API key id clients must send (default "SIMKEY"). */
  keyId?: string;
  /** API secret (default "SIMSECRET"). */
  secret?: string;
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** Port (default 0 = a free port). */
  port?: number;
  /** Seed of every random stream (default 1). */
  seed?: number;
  /** Starting cash, decimal string (default "100000"). */
  cash?: string;
  /** Starting positions. */
  positions?: { symbol: string; qty: string; avg_entry_price: string }[];
  /** Asset universe with opening prices (default: a dozen large caps plus test assets). */
  assets?: AssetSpec[];
  /** Largest relative move per random-walk step (default 0.001). */
  volatility?: number;
  /** Price grid (default "0.01"). */
  tick?: string;
  /** Bid/ask spread in dollars (default "0.02"). */
  spread?: string;
  /** Background ticker period in ms; 0 (default) = prices move only when asked. */
  tickIntervalMs?: number;
  /** Probability that an eligible execution is partial (default 0; Alpaca paper: 0.1). */
  partialFillProbability?: number;
  /** "always-open" (default, demos) or "calendar" (sessions, holidays, DAY expiry at the close). */
  clock?: ClockMode;
  /** Initial simulated time (RFC 3339); with `freezeTime` the clock only moves via /_sim/clock. */
  startTime?: string;
  /** Freeze the clock at startTime (default true when startTime is given). */
  freezeTime?: boolean;
  /** Time source (default Date.now). */
  now?: () => number;
  /** Requests per minute per key; 0 = off (default 200). */
  rateLimit?: number;
  /** Buying-power multiplier "1" | "2" | "4" (default "2"). */
  multiplier?: string;
  /** Status of unfilled DAY orders at the close (default "expired"). */
  dayExpiryStatus?: 'expired' | 'canceled';
  /** Outbound stream frames (default "binary", as paper does). */
  frames?: 'binary' | 'text';
  /** Authenticated trade_updates connections per key (default 1). */
  maxStreamsPerKey?: number;
  /** Account may sell short (default true). */
  shortingEnabled?: boolean;
  /** Emit the legacy PDT account fields (default false). */
  legacyPdt?: boolean;
  /** Cancels stay pending_cancel this long before canceled, so a fill can race them (default 0). */
  cancelDelayMs?: number;
  /** Replaces stay pending_replace this long before the old order is replaced (default 0). */
  replaceDelayMs?: number;
  /**
   * DELETE /v2/orders/{id} of a filled order: "422" (default, the documented answer) or "204", then
   * an `order_cancel_rejected` event on the stream (what a 2021 docs change claims).
   */
  cancelFinalBehavior?: '422' | '204';
  /** A pino-compatible logger; silent when absent. */
  logger?: FastifyBaseLogger;
}

export interface RunningSimulator {
  /** Trading REST base, the SDK's basePath: http://127.0.0.1:<port>. */
  tradingUrl: string;
  /** Trading stream URL: ws://127.0.0.1:<port>/stream. */
  streamUrl: string;
  /** Market-data base (same origin as trading). */
  dataUrl: string;
  keyId: string;
  secret: string;
  port: number;
  /** In-process access for tests: the broker state, market and clock. */
  broker: SimBroker;
  app: FastifyInstance;
  /** Same as POST /_sim/prices, in-process. */
  setPrices(prices: Record<string, string | number | { last?: string; bid?: string; ask?: string }>): void;
  /** Same as POST /_sim/clock: moves (and by default freezes) the simulated time. */
  setTime(time: string, frozen?: boolean): void;
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const keyId = options.keyId ?? 'SIMKEY';
  const secret = options.secret ?? 'SIMSECRET';
  const seed = options.seed ?? 1;
  const clock = new SimClock(options.clock ?? 'always-open', options.now);
  if (options.startTime) clock.set(parseInstant(options.startTime, 'startTime'), options.freezeTime ?? true);
  const assets = new AssetRegistry(options.assets ?? defaultUniverse());
  const market = new Market({
    seed,
    volatility: options.volatility ?? 0.001,
    tick: options.tick ?? '0.01',
    spread: options.spread ?? '0.02',
  });
  for (const asset of assets.all()) market.set(asset.symbol, dec(asset.price, asset.symbol), clock.now());
  const broker = new SimBroker({
    clock,
    market,
    assets,
    seed,
    cash: dec(options.cash ?? '100000', 'cash'),
    positions: (options.positions ?? []).map((p) => ({
      symbol: p.symbol,
      qty: dec(p.qty, 'qty'),
      avgEntry: dec(p.avg_entry_price, 'avg_entry_price'),
    })),
    multiplier: dec(options.multiplier ?? '2', 'multiplier'),
    partialFillProbability: options.partialFillProbability ?? 0,
    dayExpiryStatus: options.dayExpiryStatus ?? 'expired',
    shortingEnabled: options.shortingEnabled ?? true,
    legacyPdt: options.legacyPdt ?? false,
    accountId: stableUuid(`account:${keyId}`),
    cancelFinalBehavior: options.cancelFinalBehavior ?? '422',
    delays: () => ({
      cancelMs: ctx.faults.cancel_delay_ms || (options.cancelDelayMs ?? 0),
      replaceMs: ctx.faults.replace_delay_ms || (options.replaceDelayMs ?? 0),
    }),
  });
  const ctx = {
    broker,
    keyId,
    secret,
    limiter: new RateLimiter(options.rateLimit ?? 200),
    faults: noFaults(),
    faultRng: streamFor(seed, 'faults'),
    refuseStreamUntil: 0,
    requests: new Map(),
  } as unknown as SimContext;
  ctx.stream = new TradeStreamServer({
    keyId,
    secret,
    maxPerKey: options.maxStreamsPerKey ?? 1,
    frames: options.frames ?? 'binary',
    faults: () => ctx.faults,
    refusedUntil: () => ctx.refuseStreamUntil,
    rng: streamFor(seed, 'stream-faults'),
  });
  broker.onEvent((event) => ctx.stream.publish(event));
  ctx.ticker = makeTicker(broker, options.tickIntervalMs ?? 0);
  const app = buildSimApp(ctx, options.logger);
  app.server.on('upgrade', (req, socket, head) => ctx.stream.handleUpgrade(req, socket, head));
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const clockTimer = clock.mode === 'calendar' ? setInterval(() => broker.sync(true), 1000) : null;
  clockTimer?.unref();
  ctx.ticker.start();
  const host = options.host ?? '127.0.0.1';
  const origin = `http://${host}:${port}`;
  return {
    tradingUrl: origin,
    streamUrl: `ws://${host}:${port}/stream`,
    dataUrl: origin,
    keyId,
    secret,
    port,
    broker,
    app,
    setPrices: (prices) => broker.setPrices(parsePrices(prices, (s) => assets.get(s) !== undefined)),
    setTime: (time, frozen = true) => {
      clock.set(parseInstant(time, 'time'), frozen);
      broker.sync(true);
    },
    stop: async () => {
      ctx.ticker.stop();
      broker.stop();
      if (clockTimer) clearInterval(clockTimer);
      ctx.stream.close();
      await app.close();
    },
  };
}

function makeTicker(broker: SimBroker, intervalMs: number): SimContext['ticker'] {
  let timer: NodeJS.Timeout | null = null;
  return {
    get running() {
      return timer !== null;
    },
    start() {
      if (intervalMs <= 0 || timer) return;
      timer = setInterval(() => broker.tick(), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
