/**
 * The risk checks, one function each. A check returns null when it has nothing to say (pass) or
 * a denial with a stable code and a message that gives the numbers. Pure: the caller gathers
 * fresh state into a RiskContext; nothing here reads a clock, a database or the network.
 */
import { dec, str } from '../decimal.js';
import { admitsOrder, reducesExposure } from '../trading-state.js';
import type { DenialCode } from './denial-codes.js';
import { type OrderEstimate, openingQty, resultingNotional } from './order-estimate.js';
import type { RiskContext, RiskLimits } from './risk-types.js';

export interface Denial {
  code: DenialCode;
  message: string;
}

export type CheckInput = { ctx: RiskContext; limits: RiskLimits; estimate: OrderEstimate };
export type RiskCheck = (input: CheckInput) => Denial | null;

const deny = (code: DenialCode, message: string): Denial => ({ code, message });

function isFractional(ctx: RiskContext): boolean {
  return ctx.intent.notional !== undefined || !dec(ctx.intent.qty ?? '0').isInteger();
}

function reduces({ ctx, estimate }: CheckInput): boolean {
  return estimate.qty !== null && reducesExposure(ctx.positionQty, ctx.intent.side, str(estimate.qty));
}

export const tradingState: RiskCheck = (input) => {
  const state = input.ctx.tradingState;
  if (admitsOrder(state, reduces(input))) return null;
  return state === 'HALTED'
    ? deny('TRADING_HALTED', 'trading is HALTED; no new orders until a confirmed re-arm')
    : deny(
        'TRADING_REDUCING',
        `trading is REDUCING; this ${input.ctx.intent.side} does not reduce the position of ${input.ctx.positionQty}`,
      );
};

export const symbolLists: RiskCheck = ({ ctx, limits }) => {
  const symbol = ctx.intent.symbol;
  if (limits.symbolDenylist.includes(symbol)) return deny('SYMBOL_DENIED', `${symbol} is on the deny list`);
  if (limits.symbolAllowlist.length > 0 && !limits.symbolAllowlist.includes(symbol)) {
    return deny(
      'SYMBOL_NOT_ALLOWED',
      `${symbol} is not on the allow list (${limits.symbolAllowlist.join(', ')})`,
    );
  }
  return null;
};

export const asset: RiskCheck = ({ ctx, estimate }) => {
  const a = ctx.asset;
  const symbol = ctx.intent.symbol;
  if (a === null) return deny('ASSET_UNKNOWN', `the broker does not know ${symbol}`);
  if (!a.tradable || !a.active) return deny('ASSET_NOT_TRADABLE', `${symbol} is not tradable at the broker`);
  if (isFractional(ctx) && !a.fractionable) {
    return deny('ASSET_NOT_FRACTIONABLE', `${symbol} is not fractionable; use a whole-share quantity`);
  }
  if (estimate.resultingQty?.isNeg() && !dec(ctx.positionQty).isNeg() && !a.shortable) {
    return deny(
      'ASSET_NOT_SHORTABLE',
      `${symbol} is not shortable; the order would leave ${str(estimate.resultingQty)}`,
    );
  }
  return null;
};

function decimals(value: string): number {
  const fraction = dec(value).toFixed().split('.')[1];
  return fraction?.length ?? 0;
}

export const precision: RiskCheck = ({ ctx }) => {
  const i = ctx.intent;
  const prices = [
    ['limit price', 'limitPrice' in i ? i.limitPrice : undefined],
    ['stop price', 'stopPrice' in i ? i.stopPrice : undefined],
    ['trail price', 'trailPrice' in i ? i.trailPrice : undefined],
  ] as const;
  for (const [name, value] of prices) {
    if (value === undefined) continue;
    const max = dec(value).gte(1) ? 2 : 4;
    if (decimals(value) > max)
      return deny('PRICE_PRECISION', `${name} ${value} has more than ${max} decimals`);
  }
  if (i.qty !== undefined && decimals(i.qty) > 9)
    return deny('QTY_PRECISION', `quantity ${i.qty} has more than 9 decimals`);
  if (i.notional !== undefined && decimals(i.notional) > 2) {
    return deny('QTY_PRECISION', `notional ${i.notional} has more than 2 decimals`);
  }
  return null;
};

export const priceKnown: RiskCheck = ({ ctx, estimate }) =>
  estimate.price === null || estimate.qty === null
    ? deny(
        'PRICE_UNAVAILABLE',
        `no recent price for ${ctx.intent.symbol}; the order cannot be sized or checked`,
      )
    : null;

export const orderSize: RiskCheck = ({ limits, estimate }) => {
  if (estimate.qty?.gt(limits.maxOrderQty)) {
    return deny(
      'ORDER_QTY_LIMIT',
      `quantity ${str(estimate.qty)} is above the limit of ${limits.maxOrderQty}`,
    );
  }
  if (estimate.notional?.gt(limits.maxOrderNotional)) {
    return deny(
      'ORDER_NOTIONAL_LIMIT',
      `estimated notional $${estimate.notional.toFixed(2)} is above the limit of $${limits.maxOrderNotional}`,
    );
  }
  return null;
};

export const positionSize: RiskCheck = (input) => {
  const { ctx, limits, estimate } = input;
  const after = resultingNotional(estimate);
  if (after === null || reduces(input)) return null;
  if (after.gt(limits.maxPositionNotional)) {
    return deny(
      'POSITION_NOTIONAL_LIMIT',
      `position after the order would be $${after.toFixed(2)}, above the limit of $${limits.maxPositionNotional}`,
    );
  }
  const equity = dec(ctx.equity);
  const share = equity.gt(0) ? after.div(equity).times(100) : null;
  if (share === null || share.gt(limits.maxPositionPctEquity)) {
    const shown = share === null ? 'unbounded (equity is not positive)' : `${share.toFixed(2)}%`;
    return deny(
      'POSITION_SHARE_LIMIT',
      `position after the order would be ${shown} of equity, above ${limits.maxPositionPctEquity}%`,
    );
  }
  return null;
};

export const orderCounts: RiskCheck = ({ ctx, limits }) => {
  if (ctx.openOrders >= limits.maxOpenOrders) {
    return deny(
      'OPEN_ORDERS_LIMIT',
      `${ctx.openOrders} orders are open; the limit is ${limits.maxOpenOrders}`,
    );
  }
  if (ctx.ordersLastMinute >= limits.maxOrdersPerMinute) {
    return deny(
      'ORDER_RATE_LIMIT',
      `${ctx.ordersLastMinute} orders in the last minute; the limit is ${limits.maxOrdersPerMinute}`,
    );
  }
  return null;
};

export const noAccidentalShort: RiskCheck = ({ ctx, limits, estimate }) => {
  if (limits.allowShort || ctx.intent.side !== 'sell' || estimate.resultingQty === null) return null;
  if (!estimate.resultingQty.isNeg()) return null;
  return deny(
    'SHORT_NOT_ALLOWED',
    `selling ${estimate.qty ? str(estimate.qty) : '?'} of a position of ${ctx.positionQty} would go short; shorting is not enabled`,
  );
};

export const priceCollar: RiskCheck = ({ ctx, limits }) => {
  const i = ctx.intent;
  const last = ctx.quote.last ?? ctx.quote.bid ?? ctx.quote.ask;
  const prices = ['limitPrice' in i ? i.limitPrice : undefined, 'stopPrice' in i ? i.stopPrice : undefined];
  for (const p of prices) {
    if (p === undefined) continue;
    if (last === null)
      return deny('PRICE_UNAVAILABLE', `no last price for ${i.symbol} to check ${p} against`);
    const distance = dec(p).minus(last).abs().div(last).times(100);
    if (distance.gt(limits.priceCollarPct)) {
      return deny(
        'PRICE_COLLAR',
        `price ${p} is ${distance.toFixed(2)}% from the last price ${last}; the collar is ${limits.priceCollarPct}%`,
      );
    }
  }
  return null;
};

export const fractionalDayOnly: RiskCheck = ({ ctx }) =>
  isFractional(ctx) && ctx.intent.timeInForce !== 'day'
    ? deny(
        'FRACTIONAL_DAY_ONLY',
        `fractional and notional orders must be DAY orders, not ${ctx.intent.timeInForce.toUpperCase()}`,
      )
    : null;

export const marketHours: RiskCheck = ({ ctx, limits }) => {
  const i = ctx.intent;
  if (ctx.session === 'core') return null;
  const extendedOk =
    limits.allowExtendedHours &&
    i.extendedHours &&
    i.type === 'limit' &&
    i.timeInForce === 'day' &&
    ctx.session !== 'closed';
  if (extendedOk) return null;
  const why =
    ctx.session === 'closed'
      ? 'the market is closed'
      : `it is the ${ctx.session}-market session and only extended-hours DAY limit orders trade now`;
  return deny('MARKET_CLOSED', `${why}`);
};

/** True when equity has fallen below last_equity by more than the configured loss. */
export function dailyLossBreached(
  equity: string,
  lastEquity: string,
  limit: RiskLimits['maxDailyLoss'],
): boolean {
  const loss = dec(lastEquity).minus(equity);
  const allowed = limit.kind === 'amount' ? dec(limit.value) : dec(lastEquity).times(limit.value).div(100);
  return loss.gt(allowed);
}

export const dailyLoss: RiskCheck = (input) => {
  const { ctx, limits } = input;
  if (!dailyLossBreached(ctx.equity, ctx.lastEquity, limits.maxDailyLoss) || reduces(input)) return null;
  const limit =
    limits.maxDailyLoss.kind === 'amount' ? `$${limits.maxDailyLoss.value}` : `${limits.maxDailyLoss.value}%`;
  const loss = dec(ctx.lastEquity).minus(ctx.equity).toFixed(2);
  return deny('DAILY_LOSS_LIMIT', `today's loss of $${loss} is beyond the daily limit of ${limit}`);
};

export const buyingPower: RiskCheck = ({ ctx, estimate }) => {
  if (estimate.price === null) return null;
  const cost = openingQty(estimate, ctx.positionQty).times(estimate.price);
  if (cost.lte(ctx.buyingPower)) return null;
  return deny(
    'INSUFFICIENT_BUYING_POWER',
    `estimated cost $${cost.toFixed(2)} is above the buying power of $${dec(ctx.buyingPower).toFixed(2)}`,
  );
};
