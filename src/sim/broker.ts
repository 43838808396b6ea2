/**
 * The simulated broker facade: one account's state behind the operations the REST surface exposes
 * (submit, cancel, replace, set prices, reset). The work is done by capability modules:
 * order-request/order-classes (validation), order-placement (account checks, records, start),
 * execution/fills/legs (matching), cancels/replace (pending states and races), session-jobs (time).
 * Must preserve: the check order of §3.3; every state change that Alpaca streams produces a trade
 * event; a submit never fills before its 200 is computed.
 */
import { randomUUID } from 'node:crypto';
import { type Decimal, ZERO } from '../core/decimal.js';
import { figuresOf, flagsOf } from './account-state.js';
import type { AccountFigures } from './account-view.js';
import type { AssetRegistry, SimAsset } from './assets.js';
import {
  type BrokerState,
  defaultConfig,
  NO_DELAYS,
  type PendingDelays,
  type TradeEvent,
} from './broker-state.js';
import { requestCancel } from './cancels.js';
import { newDayTradeBook } from './day-trades.js';
import { simErrors } from './errors.js';
import { matchSymbol } from './execution.js';
import { recordEquity } from './fills.js';
import type { Market, PriceInput } from './market.js';
import { OrderBook } from './order-book.js';
import { checkOrderClass } from './order-classes.js';
import { isFinal, type SimOrder } from './order-model.js';
import { checkAuctionWindow, type PlaceOptions, place, start } from './order-placement.js';
import { type OrderDraft, parseOrderBody, validateAgainstAsset } from './order-request.js';
import { Portfolio, type PositionSeed } from './portfolio.js';
import { replaceOrder } from './replace.js';
import type { AccountFlags } from './risk-checks.js';
import { streamFor } from './rng.js';
import { lastCloseDate, processClock } from './session-jobs.js';
import type { SimClock } from './sim-clock.js';

export interface BrokerOptions {
  clock: SimClock;
  market: Market;
  assets: AssetRegistry;
  seed: number;
  cash: Decimal;
  positions: PositionSeed[];
  multiplier: Decimal;
  partialFillProbability: number;
  dayExpiryStatus: 'expired' | 'canceled';
  shortingEnabled: boolean;
  legacyPdt: boolean;
  accountId: string;
  newId?: () => string;
  /** How long cancels and replaces stay pending (read at each request; default: none). */
  delays?: () => PendingDelays;
  /** DELETE of a filled order: 422 (default) or 204 followed by `order_cancel_rejected`. */
  cancelFinalBehavior?: '422' | '204';
}

export class SimBroker {
  readonly state: BrokerState;
  private listeners = new Set<(event: TradeEvent) => void>();
  private nextSync = 0;

  constructor(options: BrokerOptions) {
    const now = options.clock.now();
    const closeOf = (symbol: string) => options.market.quote(symbol)?.last;
    const lastDate = lastCloseDate(now);
    this.state = {
      clock: options.clock,
      market: options.market,
      assets: options.assets,
      portfolio: new Portfolio(options.cash, options.positions, closeOf),
      book: new OrderBook(),
      activities: [],
      history: [],
      meta: {
        id: options.accountId,
        accountNumber: `PA${options.accountId.replaceAll('-', '').slice(0, 10).toUpperCase()}`,
        createdAt: now,
        lastEquity: ZERO,
        lastMaintenanceMargin: ZERO,
        balanceAsof: lastDate,
        shortingEnabled: options.shortingEnabled,
        tradingBlocked: false,
        accountBlocked: false,
        tradeSuspendedByUser: false,
        legacyPdt: options.legacyPdt,
      },
      config: defaultConfig(),
      reservedTotal: ZERO,
      optionMultiplier: options.multiplier,
      partialFillProbability: options.partialFillProbability,
      dayExpiryStatus: options.dayExpiryStatus,
      fillRng: streamFor(options.seed, 'fills'),
      newId: options.newId ?? randomUUID,
      emit: (event) => {
        for (const listener of this.listeners) listener(event);
      },
      pending: new Set(),
      counters: { ordersSubmitted: 0, executions: 0 },
      lastRollDate: lastDate,
      delays: options.delays ?? (() => NO_DELAYS),
      replacing: new Map(),
      timers: new Set(),
      cancelFinalBehavior: options.cancelFinalBehavior ?? '422',
      dayTrades: newDayTradeBook(),
    };
    this.state.meta.lastEquity = this.figures().equity;
    recordEquity(this.state, now);
  }

  /** Subscribes to trade events; returns the unsubscribe function. */
  onEvent(listener: (event: TradeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get assets(): AssetRegistry {
    return this.state.assets;
  }

  get market(): Market {
    return this.state.market;
  }

  /** Brings time-driven state up to date (at most once a second unless forced). */
  sync(force = false): void {
    const now = this.state.clock.now();
    if (!force && now < this.nextSync) return;
    this.nextSync = now + 1000;
    if (this.state.clock.mode === 'calendar') processClock(this.state);
  }

  flags(): AccountFlags {
    return flagsOf(this.state);
  }

  figures(): AccountFigures {
    return figuresOf(this.state);
  }

  /** POST /v2/orders: validates in Alpaca's order, records the order (and legs), starts its life. */
  submit(body: unknown): SimOrder {
    this.sync();
    const draft = parseOrderBody(body);
    const asset = validateAgainstAsset(draft, this.state.assets.get(draft.symbol));
    checkOrderClass(draft, this.state.market.quote(asset.symbol));
    checkAuctionWindow(this.state, draft.tif);
    const order = place(this.state, draft, asset, { washCheck: true });
    start(this.state, order);
    return order;
  }

  /** Account checks, reservation and creation (see order-placement.ts); used by position closes. */
  place(draft: OrderDraft, asset: SimAsset, opts: PlaceOptions): SimOrder {
    return place(this.state, draft, asset, opts);
  }

  /** Routes a freshly placed order, or parks it as accepted until its session opens. */
  start(order: SimOrder): void {
    start(this.state, order);
  }

  getOrder(id: string): SimOrder {
    const order = this.state.book.get(id);
    if (!order) throw simErrors.orderNotFound();
    return order;
  }

  /** DELETE /v2/orders/{id}: 404 unknown, 422 final; see cancels.ts for the pending state. */
  cancel(id: string): void {
    this.sync();
    requestCancel(this.state, this.getOrder(id));
  }

  /** DELETE /v2/orders: requests a cancel of every open order, one 207 entry each. */
  cancelAll(): { id: string; status: number }[] {
    this.sync();
    const out: { id: string; status: number }[] = [];
    for (const order of this.state.book.open()) {
      if (isFinal(order) || order.status === 'pending_cancel') continue;
      try {
        requestCancel(this.state, order);
        out.push({ id: order.id, status: 200 });
      } catch {
        out.push({ id: order.id, status: 422 });
      }
    }
    return out;
  }

  /** PATCH /v2/orders/{id}: see replace.ts. */
  replace(id: string, body: unknown): SimOrder {
    this.sync();
    return replaceOrder(this.state, this.getOrder(id), body);
  }

  /** POST /_sim/prices: sets prices and matches every affected order at once. */
  setPrices(prices: Map<string, PriceInput>): void {
    const now = this.state.clock.now();
    this.sync();
    for (const [symbol, input] of prices) this.state.market.set(symbol, input, now);
    for (const symbol of prices.keys()) matchSymbol(this.state, symbol);
    recordEquity(this.state, now);
  }

  /** One step of the background random walk for every symbol. */
  tick(): void {
    const now = this.state.clock.now();
    this.sync();
    for (const symbol of this.state.market.symbols()) {
      this.state.market.step(symbol, now);
      matchSymbol(this.state, symbol);
    }
    recordEquity(this.state, now);
  }

  /** Fresh account: cash and positions, no orders, no activities, default configuration. */
  reset(cash: Decimal, positions: PositionSeed[]): void {
    const s = this.state;
    const closeOf = (symbol: string) => s.market.quote(symbol)?.last;
    for (const order of s.book.open()) order.status = 'canceled';
    for (const timer of s.timers) clearTimeout(timer);
    s.timers.clear();
    s.replacing.clear();
    s.portfolio = new Portfolio(cash, positions, closeOf);
    s.book = new OrderBook();
    s.activities = [];
    s.history = [];
    s.pending.clear();
    s.dayTrades = newDayTradeBook();
    s.reservedTotal = ZERO;
    s.config = defaultConfig();
    s.meta.lastEquity = this.figures().equity;
    s.meta.lastMaintenanceMargin = ZERO;
    recordEquity(s, s.clock.now());
  }

  /** Clears pending timers (called when the simulator stops). */
  stop(): void {
    for (const timer of this.state.timers) clearTimeout(timer);
    this.state.timers.clear();
  }
}
