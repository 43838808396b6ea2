/**
 * Account-dependent order checks (§3.3 steps 7-10): account flags, short-sale rules and available
 * quantity, wash trades, buying power; plus the buying power an open order reserves.
 * Must preserve: these answer 403 (never 422), with the context fields Alpaca adds for qty and
 * buying-power rejections.
 */
import { Decimal, str, ZERO } from '../core/decimal.js';
import type { SimAsset } from './assets.js';
import { simErrors } from './errors.js';
import type { Quote } from './market.js';
import { buyStopLimit, type Side, type SimOrder } from './order-model.js';
import type { OrderDraft } from './order-request.js';

const MARKET_COLLAR = new Decimal('1.03');

export interface AccountFlags {
  shortingEnabled: boolean;
  tradingBlocked: boolean;
  accountBlocked: boolean;
  suspendTrade: boolean;
  noShorting: boolean;
}

export function leaves(order: SimOrder): Decimal {
  return order.qty ? order.qty.minus(order.filledQty) : ZERO;
}

export function checkAccountAllowed(flags: AccountFlags): void {
  if (flags.accountBlocked || flags.tradingBlocked || flags.suspendTrade) {
    throw simErrors.forbidden('account is not authorized to trade');
  }
}

/** Shares of a position already promised to open orders that reduce it. */
export function heldFor(open: Iterable<SimOrder>, positionQty: Decimal): { held: Decimal; ids: string[] } {
  const reducing: Side = positionQty.isNeg() ? 'buy' : 'sell';
  let held = ZERO;
  const ids: string[] = [];
  for (const order of open) {
    // A held leg covers the same shares as the working exit of its family: count those once.
    if (order.side !== reducing || order.status === 'held') continue;
    held = held.plus(leaves(order));
    ids.push(order.id);
  }
  return { held, ids };
}

/** Estimated qty of a draft (notional orders are priced at the far side of the quote). */
function draftQty(d: OrderDraft, quote: Quote | undefined): Decimal {
  if (d.qty) return d.qty;
  const price = d.side === 'buy' ? quote?.ask : quote?.bid;
  return price && d.notional ? d.notional.div(price) : ZERO;
}

export function checkQuantity(
  d: OrderDraft,
  asset: SimAsset,
  positionQty: Decimal,
  open: Iterable<SimOrder>,
  flags: AccountFlags,
  quote: Quote | undefined,
): void {
  const qty = draftQty(d, quote);
  const opensShort = d.side === 'sell' && positionQty.lte(0);
  if (opensShort) {
    if (!flags.shortingEnabled || flags.noShorting)
      throw simErrors.forbidden('account is not allowed to short');
    if (!asset.shortable || !asset.easyToBorrow) {
      throw simErrors.forbidden(`asset ${asset.symbol} cannot be sold short`);
    }
    if (d.notional || !qty.isInteger()) throw simErrors.forbidden('fractional orders cannot be sold short');
    return;
  }
  if (d.side === 'buy' && positionQty.gte(0)) return;
  const { held, ids } = heldFor(open, positionQty);
  const available = Decimal.max(positionQty.abs().minus(held), ZERO);
  if (qty.gt(available)) {
    throw simErrors.forbidden(
      `insufficient qty available for order (requested: ${str(qty)}, available: ${str(available)})`,
      {
        available: str(available),
        existing_qty: str(positionQty.abs()),
        held_for_orders: str(held),
        related_orders: ids,
        symbol: asset.symbol,
      },
    );
  }
}

function limitOf(o: { type: string; limitPrice: Decimal | null }): Decimal | null {
  return o.type === 'limit' || o.type === 'stop_limit' ? o.limitPrice : null;
}

/** §3.7: an opposite-side open order that could trade against the new one. */
export function checkWashTrade(d: OrderDraft, open: Iterable<SimOrder>): void {
  if (d.type === 'trailing_stop' || (d.orderClass !== '' && d.orderClass !== 'simple')) return;
  for (const o of open) {
    if (o.side === d.side || o.parentId !== null || o.status === 'held') continue;
    if (o.type === 'trailing_stop' || (o.orderClass !== '' && o.orderClass !== 'simple')) continue;
    const existingLimit = limitOf(o);
    const newLimit = limitOf(d);
    let conflict = existingLimit === null || newLimit === null;
    if (!conflict && existingLimit && newLimit) {
      const [buy, sell] = d.side === 'buy' ? [newLimit, existingLimit] : [existingLimit, newLimit];
      conflict = buy.gte(sell);
    }
    if (conflict) throw simErrors.forbidden('potential wash trade detected. use complex orders');
  }
}

/** Buying power a new order consumes: per-share price for qty orders, or the notional itself. */
export function reservation(
  d: Pick<OrderDraft, 'side' | 'type' | 'limitPrice' | 'stopPrice' | 'notional'>,
  quote: Quote | undefined,
  positionQty: Decimal,
): { unit: Decimal; notional: Decimal | null } {
  if (d.side === 'sell' && positionQty.gt(0)) return { unit: ZERO, notional: null };
  if (d.side === 'buy' && positionQty.lt(0)) return { unit: ZERO, notional: null };
  const far = (d.side === 'buy' ? quote?.ask : quote?.bid) ?? ZERO;
  const collared = far.times(MARKET_COLLAR);
  const limit = limitOf({ type: d.type, limitPrice: d.limitPrice });
  let unit: Decimal;
  if (d.side === 'buy')
    unit = limit ?? (d.type === 'stop' && d.stopPrice ? buyStopLimit(d.stopPrice) : collared);
  else unit = Decimal.max(limit ?? ZERO, collared);
  return { unit: unit.toDecimalPlaces(4), notional: d.side === 'buy' ? d.notional : null };
}

export function checkBuyingPower(cost: Decimal, buyingPower: Decimal): void {
  if (cost.gt(buyingPower)) {
    throw simErrors.forbidden('insufficient buying power', {
      buying_power: str(buyingPower),
      cost_basis: str(cost.toDecimalPlaces(2)),
    });
  }
}
