import { describe, expect, it } from 'vitest';
import { DENIAL_EXPLANATIONS, denials, explainCode } from './denials';

const RISK_DOC_CODES = [
  'TRADING_HALTED',
  'TRADING_REDUCING',
  'SYMBOL_NOT_ALLOWED',
  'SYMBOL_DENIED',
  'ASSET_UNKNOWN',
  'ASSET_NOT_TRADABLE',
  'ASSET_NOT_FRACTIONABLE',
  'ASSET_NOT_SHORTABLE',
  'PRICE_PRECISION',
  'QTY_PRECISION',
  'PRICE_UNAVAILABLE',
  'ORDER_QTY_LIMIT',
  'ORDER_NOTIONAL_LIMIT',
  'POSITION_NOTIONAL_LIMIT',
  'POSITION_SHARE_LIMIT',
  'OPEN_ORDERS_LIMIT',
  'ORDER_RATE_LIMIT',
  'SHORT_NOT_ALLOWED',
  'PRICE_COLLAR',
  'FRACTIONAL_DAY_ONLY',
  'MARKET_CLOSED',
  'DAILY_LOSS_LIMIT',
  'INSUFFICIENT_BUYING_POWER',
];

describe('denial explanations', () => {
  it('explains every denial code of docs/risk.md in plain words', () => {
    for (const code of RISK_DOC_CODES) expect(DENIAL_EXPLANATIONS[code], code).toMatch(/\w+ \w+/);
  });

  it('matches codes in any case (the first API checks used lower case)', () => {
    expect(explainCode('trading_halted')).toBe(DENIAL_EXPLANATIONS.TRADING_HALTED);
    expect(explainCode('NOPE')).toBeNull();
    expect(explainCode(null)).toBeNull();
  });

  it('lists only failed checks, keeping the API message with its numbers', () => {
    const out = denials([
      { check: 'trading_state', passed: true, code: null, message: 'ACTIVE' },
      { check: 'order_qty', passed: false, code: 'ORDER_QTY_LIMIT', message: 'qty 5000 > 1000' },
      { check: 'new_check', passed: false, code: 'SOMETHING_NEW', message: 'a new rule said no' },
    ]);
    expect(out).toEqual([
      {
        check: 'order_qty',
        code: 'ORDER_QTY_LIMIT',
        explanation: DENIAL_EXPLANATIONS.ORDER_QTY_LIMIT,
        detail: 'qty 5000 > 1000',
      },
      {
        check: 'new_check',
        code: 'SOMETHING_NEW',
        explanation: 'a new rule said no',
        detail: 'a new rule said no',
      },
    ]);
  });
});
