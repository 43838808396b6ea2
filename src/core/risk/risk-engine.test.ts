import { describe, expect, it } from 'vitest';
import type { OrderIntent } from '../order-request.js';
import { DENIAL_CODES, type DenialCode } from './denial-codes.js';
import { assessOrder, dailyLossBreached, firstDenial, RISK_CHECKS } from './risk-engine.js';
import type { RiskContext, RiskLimits } from './risk-types.js';

const limits: RiskLimits = {
  symbolAllowlist: [],
  symbolDenylist: ['GME'],
  maxOrderQty: '1000',
  maxOrderNotional: '25000',
  maxPositionNotional: '50000',
  maxPositionPctEquity: '25',
  maxOpenOrders: 5,
  maxOrdersPerMinute: 3,
  allowShort: false,
  priceCollarPct: '10',
  allowExtendedHours: true,
  maxDailyLoss: { kind: 'percent', value: '5' },
};

const buy10: OrderIntent = {
  symbol: 'AAPL',
  side: 'buy',
  qty: '10',
  type: 'market',
  timeInForce: 'day',
  extendedHours: false,
};

function ctx(overrides: Partial<RiskContext> = {}): RiskContext {
  return {
    intent: buy10,
    tradingState: 'ACTIVE',
    asset: { tradable: true, active: true, fractionable: true, shortable: true },
    quote: { last: '100', bid: '99.9', ask: '100.1' },
    positionQty: '0',
    equity: '100000',
    lastEquity: '100000',
    buyingPower: '200000',
    openOrders: 0,
    ordersLastMinute: 0,
    session: 'core',
    ...overrides,
  };
}

function intent(overrides: Record<string, unknown>): OrderIntent {
  return { ...buy10, ...overrides } as OrderIntent;
}

const cases: Array<
  [rule: string, context: RiskContext, code: DenialCode | null, limitOverrides?: Partial<RiskLimits>]
> = [
  ['admits a plain market buy', ctx(), null],
  ['denies an order when trading is halted', ctx({ tradingState: 'HALTED' }), 'TRADING_HALTED'],
  [
    'denies a sell when halted even if it reduces',
    ctx({ tradingState: 'HALTED', positionQty: '20', intent: intent({ side: 'sell' }) }),
    'TRADING_HALTED',
  ],
  ['denies a new entry when reducing', ctx({ tradingState: 'REDUCING' }), 'TRADING_REDUCING'],
  [
    'admits a reducing sell when reducing',
    ctx({ tradingState: 'REDUCING', positionQty: '20', intent: intent({ side: 'sell' }) }),
    null,
  ],
  ['denies a symbol on the deny list', ctx({ intent: intent({ symbol: 'GME' }) }), 'SYMBOL_DENIED'],
  ['denies a symbol missing from the allow list', ctx(), 'SYMBOL_NOT_ALLOWED', { symbolAllowlist: ['MSFT'] }],
  ['denies an unknown asset', ctx({ asset: null }), 'ASSET_UNKNOWN'],
  [
    'denies an asset that is not tradable',
    ctx({ asset: { tradable: false, active: true, fractionable: true, shortable: true } }),
    'ASSET_NOT_TRADABLE',
  ],
  [
    'denies a fractional order on a non-fractionable asset',
    ctx({
      intent: intent({ qty: '0.5' }),
      asset: { tradable: true, active: true, fractionable: false, shortable: true },
    }),
    'ASSET_NOT_FRACTIONABLE',
  ],
  [
    'denies a short in a non-shortable asset',
    ctx({
      intent: intent({ side: 'sell' }),
      asset: { tradable: true, active: true, fractionable: true, shortable: false },
    }),
    'ASSET_NOT_SHORTABLE',
    { allowShort: true },
  ],
  [
    'denies a sub-penny limit price',
    ctx({ intent: intent({ type: 'limit', limitPrice: '100.123' }) }),
    'PRICE_PRECISION',
  ],
  [
    'admits four decimals below one dollar',
    ctx({
      intent: intent({ type: 'limit', limitPrice: '0.5123' }),
      quote: { last: '0.51', bid: '0.51', ask: '0.52' },
    }),
    null,
  ],
  ['denies a quantity with ten decimals', ctx({ intent: intent({ qty: '0.0000000001' }) }), 'QTY_PRECISION'],
  [
    'denies a notional with three decimals',
    ctx({ intent: intent({ qty: undefined, notional: '100.123' }) }),
    'QTY_PRECISION',
  ],
  [
    'denies an order with no price to size it',
    ctx({ quote: { last: null, bid: null, ask: null } }),
    'PRICE_UNAVAILABLE',
  ],
  [
    'denies a quantity above the order limit',
    ctx({ intent: intent({ qty: '1001' }), quote: { last: '1', bid: '1', ask: '1' } }),
    'ORDER_QTY_LIMIT',
  ],
  [
    'denies a notional above the order limit',
    ctx({ intent: intent({ qty: '300' }) }),
    'ORDER_NOTIONAL_LIMIT',
  ],
  [
    'denies a position above the notional limit',
    ctx({ positionQty: '495', equity: '1000000' }),
    'POSITION_NOTIONAL_LIMIT',
  ],
  [
    'denies a position above its share of equity',
    ctx({ intent: intent({ qty: '200' }), equity: '50000' }),
    'POSITION_SHARE_LIMIT',
  ],
  ['denies when too many orders are open', ctx({ openOrders: 5 }), 'OPEN_ORDERS_LIMIT'],
  [
    'denies when too many orders were sent in the last minute',
    ctx({ ordersLastMinute: 3 }),
    'ORDER_RATE_LIMIT',
  ],
  [
    'denies a sell larger than the position',
    ctx({ positionQty: '5', intent: intent({ side: 'sell' }) }),
    'SHORT_NOT_ALLOWED',
  ],
  [
    'admits a sell larger than the position when shorting is enabled',
    ctx({ positionQty: '5', intent: intent({ side: 'sell' }) }),
    null,
    { allowShort: true },
  ],
  [
    'denies a limit outside the price collar',
    ctx({ intent: intent({ type: 'limit', limitPrice: '120' }) }),
    'PRICE_COLLAR',
  ],
  [
    'denies a stop outside the price collar',
    ctx({ intent: intent({ type: 'stop', stopPrice: '85' }) }),
    'PRICE_COLLAR',
  ],
  ['admits a stop within the collar', ctx({ intent: intent({ type: 'stop', stopPrice: '105' }) }), null],
  [
    'denies a fractional GTC order',
    ctx({ intent: intent({ qty: '0.5', timeInForce: 'gtc' }) }),
    'FRACTIONAL_DAY_ONLY',
  ],
  [
    'denies a notional GTC order',
    ctx({ intent: intent({ qty: undefined, notional: '500', timeInForce: 'gtc' }) }),
    'FRACTIONAL_DAY_ONLY',
  ],
  ['denies any order while the market is closed', ctx({ session: 'closed' }), 'MARKET_CLOSED'],
  ['denies a market order in the pre-market', ctx({ session: 'pre' }), 'MARKET_CLOSED'],
  [
    'admits an extended-hours DAY limit in the pre-market',
    ctx({ session: 'pre', intent: intent({ type: 'limit', limitPrice: '100', extendedHours: true }) }),
    null,
  ],
  [
    'denies extended hours when disabled',
    ctx({ session: 'post', intent: intent({ type: 'limit', limitPrice: '100', extendedHours: true }) }),
    'MARKET_CLOSED',
    { allowExtendedHours: false },
  ],
  [
    'denies a new entry past the daily loss limit',
    ctx({ equity: '94000', lastEquity: '100000' }),
    'DAILY_LOSS_LIMIT',
  ],
  [
    'admits a reducing sell past the daily loss limit',
    ctx({ equity: '94000', lastEquity: '100000', positionQty: '10', intent: intent({ side: 'sell' }) }),
    null,
  ],
  ['denies a buy above the buying power', ctx({ buyingPower: '500' }), 'INSUFFICIENT_BUYING_POWER'],
  [
    'does not charge buying power for a sell that closes',
    ctx({ buyingPower: '0', positionQty: '10', intent: intent({ side: 'sell' }) }),
    null,
  ],
];

describe('risk engine', () => {
  for (const [rule, context, code, overrides] of cases) {
    it(rule, () => {
      const { verdict } = assessOrder(context, { ...limits, ...overrides });
      const denied = verdict.checks.filter((c) => !c.passed).map((c) => c.code);
      if (code === null) {
        expect(denied).toEqual([]);
        expect(verdict.allowed).toBe(true);
      } else {
        expect(denied).toContain(code);
        expect(verdict.allowed).toBe(false);
      }
    });
  }

  it('reports every check, in order, each with a reason', () => {
    const { verdict } = assessOrder(ctx({ tradingState: 'HALTED' }), limits);
    expect(verdict.checks.map((c) => c.check)).toEqual(RISK_CHECKS.map(([name]) => name));
    expect(firstDenial(verdict)).toMatchObject({ check: 'trading_state', code: 'TRADING_HALTED' });
  });

  it('gives the numbers in a denial message', () => {
    const { verdict } = assessOrder(ctx({ intent: intent({ qty: '300' }) }), limits);
    expect(firstDenial(verdict)?.message).toBe('estimated notional $30030.00 is above the limit of $25000');
  });

  it('previews price, notional, share of equity, buying power after and the resulting position', () => {
    const { preview } = assessOrder(ctx({ positionQty: '5' }), limits);
    expect(preview).toEqual({
      estimatedPrice: '100.1',
      estimatedNotional: '1001.00',
      shareOfEquity: '0.015015',
      buyingPowerAfter: '198999.00',
      resultingPositionQty: '15',
    });
  });

  it('sizes a notional order from the reference price', () => {
    const { preview } = assessOrder(ctx({ intent: intent({ qty: undefined, notional: '1001' }) }), limits);
    expect(preview.resultingPositionQty).toBe('10');
  });

  it('has a description for every denial code it can produce', () => {
    for (const [, , code] of cases) if (code) expect(DENIAL_CODES[code]).toBeTruthy();
  });
});

describe('dailyLossBreached', () => {
  it('compares the loss since the previous close with an amount or a percentage', () => {
    expect(dailyLossBreached('99000', '100000', { kind: 'amount', value: '500' })).toBe(true);
    expect(dailyLossBreached('99600', '100000', { kind: 'amount', value: '500' })).toBe(false);
    expect(dailyLossBreached('95000', '100000', { kind: 'percent', value: '5' })).toBe(false);
    expect(dailyLossBreached('94999', '100000', { kind: 'percent', value: '5' })).toBe(true);
    expect(dailyLossBreached('101000', '100000', { kind: 'amount', value: '0' })).toBe(false);
  });
});
