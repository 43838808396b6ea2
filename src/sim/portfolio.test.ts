import { describe, expect, it } from 'vitest';
import { dec } from '../core/decimal.js';
import { Portfolio } from './portfolio.js';

describe('portfolio fills', () => {
  it('weights the average entry on adds and keeps it on reductions', () => {
    const p = new Portfolio(dec(1000));
    p.applyFill('X', 'buy', dec(10), dec(10));
    p.applyFill('X', 'buy', dec(30), dec(20));
    expect(p.positions.get('X')?.avgEntry.toString()).toBe('17.5');
    p.applyFill('X', 'sell', dec(20), dec(30));
    expect(p.positions.get('X')?.avgEntry.toString()).toBe('17.5');
    expect(p.cash.toString()).toBe(String(1000 - 100 - 600 + 600));
  });

  it('starts a fresh entry when a fill crosses zero and removes the position at zero', () => {
    const p = new Portfolio(dec(0), [{ symbol: 'X', qty: dec(5), avgEntry: dec(10) }]);
    expect(p.applyFill('X', 'sell', dec(8), dec(12)).toString()).toBe('-3');
    expect(p.positions.get('X')?.avgEntry.toString()).toBe('12');
    expect(p.applyFill('X', 'buy', dec(3), dec(11)).toString()).toBe('0');
    expect(p.positions.has('X')).toBe(false);
    expect(p.cash.toString()).toBe('63');
  });

  it('rolls the day: previous close becomes the intraday basis', () => {
    const p = new Portfolio(dec(0), [{ symbol: 'X', qty: dec(1), avgEntry: dec(10) }]);
    p.rollDay(() => dec(15));
    expect(p.positions.get('X')).toMatchObject({ lastdayPrice: dec(15), intradayAvg: dec(15) });
  });
});
