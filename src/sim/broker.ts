/**
 * The simulated broker: one account's orders, positions and cash behind the operations the REST
 * surface exposes (submit, cancel, replace, close positions, set prices). It owns the state and
 * delegates fills to execution.ts and time-driven work to session-jobs.ts.
 * Must preserve: the check order of §3.3; client_order_id unique forever; every state change that
 * Alpaca streams produces a trade event; a submit never fills before its 200 is computed.
 */
import { randomUUID } from 'node:crypto';
import { type Decimal, ZERO } from '../core/decimal.js';
import { type AccountFigures, computeFigures } from './account-view.js';
import { type AssetRegistry, assetId, type SimAsset } from './assets.js';
import { type BrokerState, defaultConfig, type TradeEvent } from './broker-state.js';
import { simErrors } from './errors.js';
import { dispatch, emit, finish, matchSymbol, recordEquity, tradableIn, updateReserve } from './execution.js';
import type { Market, PriceInput } from './market.js';
import { OrderBook } from './order-book.js';
import { isFinal, type SimOrder, type TimeInForce } from './order-model.js';
import { type OrderDraft, parseOrderBody, validateAgainstAsset } from './order-request.js';
import { Portfolio, type PositionSeed } from './portfolio.js';
import { replaceOrder } from './replace.js';
import {
  type AccountFlags,
  checkAccountAllowed,
  checkBuyingPower,
  checkQuantity,
  checkWashTrade,
  reservation,
} from './risk-checks.js';
import { streamFor } from './rng.js';
import { addDays, etInstant, etParts, seekTradingDay } from './session-calendar.js';
import { effectiveMultiplier, lastCloseDate, processClock } from './session-jobs.js';
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
}

export class SimBroker {
  readonly state: BrokerState;
  private listeners = new Set<(event: TradeEvent) => void>();
  private nextSync = 0;

  constructor(options: BrokerOptions) {
    const now = options.clock.now();
    const closeOf = (symbol: string) => options.market.quote(symbol)?.last;
    const portfolio = new Portfolio(options.cash, options.positions, closeOf);
    const lastDate = lastCloseDate(now);
    this.state = {
      clock: options.clock,
      market: options.market,
      assets: options.assets,
      portfolio,
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
    const { meta, config } = this.state;
    return {
      shortingEnabled: meta.shortingEnabled,
      tradingBlocked: meta.tradingBlocked,
      accountBlocked: meta.accountBlocked,
      suspendTrade: config.suspend_trade,
      noShorting: config.no_shorting,
    };
  }

  figures(): AccountFigures {
    const s = this.state;
    const priceOf = (symbol: string) => s.market.quote(symbol)?.last;
    return computeFigures(
      s.portfolio.cash,
      s.portfolio.positions.values(),
      priceOf,
      effectiveMultiplier(s),
      s.reservedTotal,
    );
  }

  /** POST /v2/orders: validates in Alpaca's order, records the order and starts its life. */
  submit(body: unknown): SimOrder {
    this.sync();
    const draft = parseOrderBody(body);
    const asset = validateAgainstAsset(draft, this.state.assets.get(draft.symbol));
    if (draft.orderClass !== '' && draft.orderClass !== 'simple') {
      throw simErrors.unprocessable(`order_class ${draft.orderClass} is not supported by the simulator`);
    }
    const order = this.place(draft, asset, { washCheck: true });
    this.start(order);
    return order;
  }

  /** Account checks, reservation and creation shared by submit and position closes. */
  place(draft: OrderDraft, asset: SimAsset, opts: { washCheck: boolean; replaces?: SimOrder }): SimOrder {
    const s = this.state;
    if (draft.clientOrderId !== null && s.book.hasClientOrderId(draft.clientOrderId)) {
      throw simErrors.invalid('client_order_id must be unique');
    }
    checkAccountAllowed(this.flags());
    const positionQty = s.portfolio.qty(asset.symbol);
    const open = [...s.book.openFor(asset.symbol)].filter((o) => o !== opts.replaces);
    const quote = s.market.quote(asset.symbol);
    checkQuantity(draft, asset, positionQty, open, this.flags(), quote);
    if (opts.washCheck) checkWashTrade(draft, open);
    const res = reservation(draft, quote, positionQty);
    const cost = res.notional ?? res.unit.times(draft.qty ?? ZERO);
    checkBuyingPower(cost, this.figures().buyingPower.plus(opts.replaces?.reserved ?? ZERO));
    const order = this.create(draft, asset, res);
    s.book.add(order);
    s.counters.ordersSubmitted++;
    updateReserve(s, order);
    return order;
  }

  /** Sends a freshly created order on: pending_new when its session is open, else accepted. */
  start(order: SimOrder): void {
    const s = this.state;
    if (tradableIn(order, s.clock.phase())) {
      dispatch(s, order);
    } else {
      s.pending.add(order);
      emit(s, 'accepted', order);
    }
  }

  private create(
    draft: OrderDraft,
    asset: SimAsset,
    res: { unit: Decimal; notional: Decimal | null },
  ): SimOrder {
    const now = this.state.clock.now();
    const hasLimit = draft.type === 'limit' || draft.type === 'stop_limit';
    const hasStop = draft.type === 'stop' || draft.type === 'stop_limit';
    return {
      id: this.state.newId(),
      clientOrderId: draft.clientOrderId ?? this.state.newId(),
      createdAt: now,
      updatedAt: now,
      submittedAt: now,
      filledAt: null,
      expiredAt: null,
      canceledAt: null,
      failedAt: null,
      replacedAt: null,
      replacedBy: null,
      replaces: null,
      expiresAt: expiryFor(draft.tif, now, draft.extendedHours),
      symbol: asset.symbol,
      assetId: assetId(asset.symbol),
      qty: draft.qty,
      notional: draft.notional,
      filledQty: ZERO,
      filledValue: ZERO,
      type: draft.type,
      side: draft.side,
      tif: draft.tif,
      limitPrice: hasLimit ? draft.limitPrice : null,
      stopPrice: hasStop ? draft.stopPrice : null,
      trailPrice: draft.type === 'trailing_stop' ? draft.trailPrice : null,
      trailPercent: draft.type === 'trailing_stop' ? draft.trailPercent : null,
      hwm: null,
      status: 'accepted',
      extendedHours: draft.extendedHours,
      orderClass: draft.orderClass,
      legIds: [],
      parentId: null,
      triggered: false,
      reserveUnit: res.unit,
      reserveNotional: res.notional,
      reserved: ZERO,
    };
  }

  getOrder(id: string): SimOrder {
    const order = this.state.book.get(id);
    if (!order) throw simErrors.orderNotFound();
    return order;
  }

  /** DELETE /v2/orders/{id}: 404 unknown, 422 final, otherwise canceled now. */
  cancel(id: string): void {
    const order = this.getOrder(id);
    if (isFinal(order)) throw simErrors.unprocessable(`order is already in "${order.status}" state`);
    finish(this.state, order, 'canceled');
  }

  /** DELETE /v2/orders: cancels every open order, one 207 entry each. */
  cancelAll(): { id: string; status: number }[] {
    const out: { id: string; status: number }[] = [];
    for (const order of this.state.book.open()) {
      finish(this.state, order, 'canceled');
      out.push({ id: order.id, status: 200 });
    }
    return out;
  }

  /** PATCH /v2/orders/{id}: see replace.ts. */
  replace(id: string, body: unknown): SimOrder {
    return replaceOrder(this, this.getOrder(id), body);
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
    s.portfolio = new Portfolio(cash, positions, closeOf);
    s.book = new OrderBook();
    s.activities = [];
    s.history = [];
    s.pending.clear();
    s.reservedTotal = ZERO;
    s.config = defaultConfig();
    s.meta.lastEquity = this.figures().equity;
    s.meta.lastMaintenanceMargin = ZERO;
    recordEquity(s, s.clock.now());
  }

  /** Marks a replaced order and links it to its replacement. */
  markReplaced(old: SimOrder, replacement: SimOrder): void {
    old.replacedBy = replacement.id;
    replacement.replaces = old.id;
    finish(this.state, old, 'replaced');
  }
}

/** expires_at: the close of the order's trading day for DAY-like orders, +90 days 16:15 ET for GTC. */
export function expiryFor(tif: TimeInForce, now: number, extendedHours: boolean): number {
  const today = etParts(now).date;
  if (tif === 'gtc') return etInstant(addDays(today, 90), '16:15');
  let day = seekTradingDay(today, 1);
  const closeOf = (d: { date: string; close: string }) =>
    etInstant(d.date, d.close) + (extendedHours ? 4 * 3600_000 : 0);
  if (closeOf(day) <= now) day = seekTradingDay(addDays(day.date, 1), 1);
  return closeOf(day);
}
