import { describe, expect, it } from 'vitest';
import { draftContentHash } from './draft.js';
import { dayPl, positionSide } from './position.js';

describe('draftContentHash', () => {
  it('depends on the content, not on key order', () => {
    const a = draftContentHash('p', {
      symbol: 'AAPL',
      side: 'buy',
      qty: '1',
      type: 'market',
      timeInForce: 'day',
      extendedHours: false,
    });
    const b = draftContentHash('p', {
      extendedHours: false,
      type: 'market',
      timeInForce: 'day',
      qty: '1',
      side: 'buy',
      symbol: 'AAPL',
    });
    const c = draftContentHash('p', {
      symbol: 'AAPL',
      side: 'buy',
      qty: '2',
      type: 'market',
      timeInForce: 'day',
      extendedHours: false,
    });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('positions and account', () => {
  it('derives side and day P/L', () => {
    expect(positionSide('-3')).toBe('short');
    expect(positionSide('3')).toBe('long');
    expect(dayPl({ equity: '101000', lastEquity: '100000' })).toEqual({ amount: '1000', fraction: '0.01' });
    expect(dayPl({ equity: '5', lastEquity: '0' }).fraction).toBeNull();
  });
});
