/**
 * One execution and its bookkeeping: order quantities, cash and position, the FILL activity, the
 * equity point and the fill/partial_fill event; then the races and family rules it settles.
 * Must preserve: every execution moves cash, position, order and activity together and emits
 * exactly one fill/partial_fill event carrying execution_id, price, qty and position_qty; a
 * partial fill keeps a pending_cancel/pending_replace status (the request is still pending).
 */
import { Decimal, str, ZERO } from '../core/decimal.js';
import type { BrokerState } from './broker-state.js';
import { settleRace } from './cancels.js';
import { recordDayTrade } from './day-trades.js';
import { afterExecution } from './legs.js';
import type { SimOrder } from './order-model.js';
import { etParts } from './session-calendar.js';
import { setStatus } from './transitions.js';

export function remainingQty(order: SimOrder, price: Decimal): Decimal {
  if (order.qty) return order.qty.minus(order.filledQty);
  const left = (order.notional as Decimal).minus(order.filledValue);
  return left.div(price).toDecimalPlaces(9, Decimal.ROUND_DOWN);
}

/** One execution; returns the family legs to run against the market now. */
export function executeFill(s: BrokerState, order: SimOrder, qty: Decimal, price: Decimal): SimOrder[] {
  const now = s.clock.now();
  const pending =
    order.status === 'pending_cancel' || order.status === 'pending_replace' ? order.status : null;
  order.filledQty = order.filledQty.plus(qty);
  order.filledValue = order.filledValue.plus(qty.times(price));
  const before = s.portfolio.qty(order.symbol);
  const positionQty = s.portfolio.applyFill(order.symbol, order.side, qty, price);
  recordDayTrade(s, order.symbol, before, positionQty);
  const done = order.qty ? order.filledQty.gte(order.qty) : remainingQty(order, price).isZero();
  if (done) order.filledAt = now;
  setStatus(s, order, done ? 'filled' : (pending ?? 'partially_filled'));
  s.counters.executions++;
  const execution = { id: s.newId(), price, qty, positionQty };
  recordActivity(s, order, execution.price, qty, now);
  recordEquity(s, now);
  s.emit({ event: done ? 'fill' : 'partial_fill', order, at: now, execution });
  if (done && pending) settleRace(s, order, pending);
  return afterExecution(s, order, done);
}

function activityId(ms: number, uuid: string): string {
  const p = etParts(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  return `${p.date.replaceAll('-', '')}${pad(p.hour)}${pad(p.minute)}${pad(p.second)}${millis}::${uuid}`;
}

function recordActivity(s: BrokerState, order: SimOrder, price: Decimal, qty: Decimal, at: number): void {
  const leavesQty = order.qty ? order.qty.minus(order.filledQty) : ZERO;
  s.activities.push({
    at,
    wire: {
      id: activityId(at, s.newId()),
      activity_type: 'FILL',
      transaction_time: new Date(at).toISOString(),
      type: order.status === 'filled' ? 'fill' : 'partial_fill',
      price: str(price),
      qty: str(qty),
      side: order.side,
      symbol: order.symbol,
      leaves_qty: str(leavesQty),
      cum_qty: str(order.filledQty),
      order_id: order.id,
      order_status: order.status,
    },
  });
}

/** Appends an equity point (one per second at most) for portfolio history. */
export function recordEquity(s: BrokerState, at: number): void {
  let equity = s.portfolio.cash;
  for (const pos of s.portfolio.positions.values()) {
    equity = equity.plus(pos.qty.times(s.market.quote(pos.symbol)?.last ?? pos.avgEntry));
  }
  const t = Math.floor(at / 1000);
  const last = s.history[s.history.length - 1];
  if (last && last.t === t) last.equity = equity;
  else if (!last || t > last.t) s.history.push({ t, equity });
  if (s.history.length > 200_000) s.history.splice(0, 100_000);
}
