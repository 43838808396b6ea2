/**
 * The per-profile trading state (NautilusTrader's model): ACTIVE admits every order, REDUCING
 * only orders that shrink exposure, HALTED nothing new. HALTED is set by the kill switch or a
 * breached loss limit and is left only through a confirmed re-arm.
 */
import { type DecimalString, dec } from './decimal.js';
import type { OrderSide } from './order.js';
import type { Timestamp } from './time.js';

export const TRADING_STATES = ['ACTIVE', 'REDUCING', 'HALTED'] as const;
export type TradingState = (typeof TRADING_STATES)[number];

export interface TradingStateRecord {
  profileId: string;
  state: TradingState;
  reason: string;
  changedBy: string;
  changedAt: Timestamp;
}

export function isTradingState(value: unknown): value is TradingState {
  return typeof value === 'string' && (TRADING_STATES as readonly string[]).includes(value);
}

/**
 * True when an order of `side` for `qty` against a position of `positionQty` only reduces
 * exposure: it trades against the position and does not go past flat.
 */
export function reducesExposure(positionQty: DecimalString, side: OrderSide, qty: DecimalString): boolean {
  const position = dec(positionQty, 'positionQty');
  const amount = dec(qty, 'qty');
  if (position.isZero() || amount.lte(0)) return false;
  const against = position.isPos() ? side === 'sell' : side === 'buy';
  return against && amount.lte(position.abs());
}

/** Whether a new order is admitted in a state: HALTED never, REDUCING only when it reduces. */
export function admitsOrder(state: TradingState, reduces: boolean): boolean {
  if (state === 'ACTIVE') return true;
  if (state === 'REDUCING') return reduces;
  return false;
}

/**
 * The state the engine enforces: the persisted one, tightened to REDUCING while the trade stream
 * is down (entries are gated until the ledger can see fills again). HALTED always stays HALTED.
 */
export function effectiveTradingState(persisted: TradingState, streamHealthy: boolean): TradingState {
  if (persisted === 'ACTIVE' && !streamHealthy) return 'REDUCING';
  return persisted;
}
