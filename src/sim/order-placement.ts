/**
 * Placing an order: the account checks of §3.3 (steps 6-10) in order, the buying-power
 * reservation, the order record (with `held` legs for bracket/OCO/OTO), and its start (routed when
 * its session is open, else `accepted`); plus the OPG/CLS submission windows of §3.5.
 * Must preserve: client_order_id unique forever; nothing is recorded when a check fails; legs
 * reserve no buying power (they only ever reduce the position their entry opens).
 */
import { type Decimal, ZERO } from '../core/decimal.js';
import { figuresOf, flagsOf } from './account-state.js';
import { assetId, type SimAsset } from './assets.js';
import type { BrokerState } from './broker-state.js';
import { checkPatternDayTrading } from './day-trades.js';
import { simErrors } from './errors.js';
import { closingAuction, dispatch } from './execution.js';
import { legDrafts } from './order-classes.js';
import type { SimOrder, TimeInForce } from './order-model.js';
import type { OrderDraft } from './order-request.js';
import {
  checkAccountAllowed,
  checkBuyingPower,
  checkQuantity,
  checkWashTrade,
  reservation,
} from './risk-checks.js';
import { addDays, etInstant, etParts, seekTradingDay, tradingDay } from './session-calendar.js';
import { emit, tradableIn, updateReserve } from './transitions.js';

export interface PlaceOptions {
  washCheck: boolean;
  replaces?: SimOrder;
}

/** Account checks, reservation and creation shared by submit, replace and position closes. */
export function place(s: BrokerState, draft: OrderDraft, asset: SimAsset, opts: PlaceOptions): SimOrder {
  if (draft.clientOrderId !== null && s.book.hasClientOrderId(draft.clientOrderId)) {
    throw simErrors.invalid('client_order_id must be unique');
  }
  const flags = flagsOf(s);
  checkAccountAllowed(flags);
  const positionQty = s.portfolio.qty(asset.symbol);
  const open = [...s.book.openFor(asset.symbol)].filter((o) => o !== opts.replaces);
  const quote = s.market.quote(asset.symbol);
  if (draft.orderClass === 'oco' && (draft.side === 'sell' ? positionQty.lte(0) : positionQty.gte(0))) {
    throw simErrors.unprocessable('oco orders must reduce an existing position');
  }
  checkQuantity(draft, asset, positionQty, open, flags, quote);
  if (opts.washCheck) checkWashTrade(draft, open);
  const res = reservation(draft, quote, positionQty);
  const cost = res.notional ?? res.unit.times(draft.qty ?? ZERO);
  checkBuyingPower(cost, figuresOf(s).buyingPower.plus(opts.replaces?.reserved ?? ZERO));
  checkPatternDayTrading(s, draft, positionQty, opts.replaces);
  const order = createOrder(s, draft, asset, res);
  s.book.add(order);
  s.counters.ordersSubmitted++;
  updateReserve(s, order);
  for (const legDraft of legDrafts(draft)) addLeg(s, order, legDraft, asset);
  return order;
}

function addLeg(s: BrokerState, parent: SimOrder, draft: OrderDraft, asset: SimAsset): void {
  const leg = createOrder(s, draft, asset, { unit: ZERO, notional: null });
  leg.status = 'held';
  leg.parentId = parent.id;
  parent.legIds.push(leg.id);
  s.book.add(leg);
}

/** CLS orders on the calendar clock wait for the closing auction. */
function waitsForClose(s: BrokerState, order: SimOrder): boolean {
  return order.tif === 'cls' && s.clock.mode === 'calendar';
}

/** Sends a freshly created order on: pending_new when its session is open, else accepted. */
export function start(s: BrokerState, order: SimOrder): void {
  if (!waitsForClose(s, order) && tradableIn(order, s.clock.phase())) {
    dispatch(s, order);
  } else {
    s.pending.add(order);
    emit(s, 'accepted', order);
  }
}

/** Routes accepted orders whose session has opened (CLS orders wait for runClosingAuctions). */
export function routePending(s: BrokerState, now: number): void {
  const phase = s.clock.phase(now);
  for (const order of [...s.pending]) {
    if (!waitsForClose(s, order) && tradableIn(order, phase)) dispatch(s, order);
  }
}

/** CLS orders whose close has come: matched once at the current price, the rest canceled. */
export function runClosingAuctions(s: BrokerState, now: number): void {
  for (const order of [...s.pending]) {
    if (waitsForClose(s, order) && order.expiresAt <= now) closingAuction(s, order);
  }
}

/** §3.5 windows on the calendar clock: OPG refused 09:28-19:00 ET, CLS 15:50-19:00 ET. */
export function checkAuctionWindow(s: BrokerState, tif: TimeInForce): void {
  if (s.clock.mode !== 'calendar' || (tif !== 'opg' && tif !== 'cls')) return;
  const now = s.clock.now();
  const p = etParts(now);
  if (!tradingDay(p.date)) return;
  const from = etInstant(p.date, tif === 'opg' ? '09:28' : '15:50');
  if (now >= from && now < etInstant(p.date, '19:00')) {
    const window = tif === 'opg' ? '09:28' : '15:50';
    throw simErrors.unprocessable(`${tif} orders are not accepted between ${window} and 19:00 ET`);
  }
}

function createOrder(
  s: BrokerState,
  draft: OrderDraft,
  asset: SimAsset,
  res: { unit: Decimal; notional: Decimal | null },
): SimOrder {
  const now = s.clock.now();
  const hasLimit = draft.type === 'limit' || draft.type === 'stop_limit';
  const hasStop = draft.type === 'stop' || draft.type === 'stop_limit';
  return {
    id: s.newId(),
    clientOrderId: draft.clientOrderId ?? s.newId(),
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
    cancelRequestedAt: null,
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
    overnight: draft.extendedHours && asset.overnightTradable && !s.config.disable_overnight_trading,
    orderClass: draft.orderClass,
    legIds: [],
    parentId: null,
    triggered: false,
    reserveUnit: res.unit,
    reserveNotional: res.notional,
    reserved: ZERO,
  };
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
