import { describe, expect, it } from 'vitest';
import { DENIAL_CODES } from '../contract';
import { DENIAL_EXPLANATIONS, denials, explainCode } from './denials';

describe('denial explanations', () => {
  it('explains every denial code of the contract (docs/risk.md) in plain words', () => {
    for (const code of Object.keys(DENIAL_CODES)) expect(explainCode(code), code).toMatch(/\w+ \w+/);
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
