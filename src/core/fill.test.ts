import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dec } from './decimal.js';
import { applyFill, FLAT, positionFromFills, signedFillQty } from './fill.js';

describe('applyFill', () => {
  it('opens a long at the fill price', () => {
    expect(applyFill(FLAT, { side: 'buy', qty: '10', price: '100' }).after).toEqual({
      qty: '10',
      avgEntryPrice: '100',
    });
  });

  it('averages the entry when adding to a position', () => {
    const change = applyFill({ qty: '10', avgEntryPrice: '100' }, { side: 'buy', qty: '30', price: '104' });
    expect(change.after).toEqual({ qty: '40', avgEntryPrice: '103' });
    expect(change.realizedPl).toBe('0');
  });

  it('keeps the entry and realises P/L when reducing a long', () => {
    const change = applyFill(
      { qty: '40', avgEntryPrice: '103' },
      { side: 'sell', qty: '15', price: '110.5' },
    );
    expect(change.after).toEqual({ qty: '25', avgEntryPrice: '103' });
    expect(change.realizedPl).toBe('112.5');
  });

  it('realises P/L on a short covered at a loss', () => {
    const change = applyFill({ qty: '-5', avgEntryPrice: '50' }, { side: 'buy', qty: '5', price: '52' });
    expect(change.after).toEqual(FLAT);
    expect(change.realizedPl).toBe('-10');
  });

  it('opens the remainder at the fill price when a fill flips the position', () => {
    const change = applyFill({ qty: '10', avgEntryPrice: '20' }, { side: 'sell', qty: '15', price: '25' });
    expect(change.after).toEqual({ qty: '-5', avgEntryPrice: '25' });
    expect(change.realizedPl).toBe('50');
  });

  it('handles fractional quantities exactly', () => {
    const change = applyFill({ qty: '0.1', avgEntryPrice: '100' }, { side: 'buy', qty: '0.2', price: '100' });
    expect(change.after.qty).toBe('0.3');
  });

  it('rejects a non-positive fill quantity', () => {
    expect(() => signedFillQty({ side: 'buy', qty: '0' })).toThrow(/positive/);
    expect(() => signedFillQty({ side: 'buy', qty: 'abc' })).toThrow(/decimal/);
  });
});

describe('positionFromFills', () => {
  it('nets quantity to the signed sum of fills, whatever their order', () => {
    const fillArb = fc.record({
      side: fc.constantFrom('buy' as const, 'sell' as const),
      qty: fc.integer({ min: 1, max: 1000 }).map(String),
      price: fc.integer({ min: 1, max: 100000 }).map((c) => dec(c).div(100).toFixed()),
    });
    fc.assert(
      fc.property(fc.array(fillArb, { maxLength: 30 }), (fills) => {
        const expected = fills.reduce((sum, f) => sum.plus(signedFillQty(f)), dec(0));
        expect(dec(positionFromFills(fills).position.qty).eq(expected)).toBe(true);
      }),
    );
  });

  it('realises the round-trip P/L of a closed position', () => {
    const result = positionFromFills([
      { side: 'buy', qty: '10', price: '100' },
      { side: 'buy', qty: '10', price: '110' },
      { side: 'sell', qty: '20', price: '120' },
    ]);
    expect(result).toEqual({ position: FLAT, realizedPl: '300' });
  });
});
