import { describe, expect, it } from 'vitest';
import { dec } from '../core/decimal.js';
import { Market } from './market.js';

const options = { seed: 9, volatility: 0.01, tick: '0.01', spread: '0.02' };

describe('market', () => {
  it('replays the same path per symbol from the seed, independent of other symbols', () => {
    const a = new Market(options);
    const b = new Market(options);
    a.set('X', dec(100), 0);
    b.set('X', dec(100), 0);
    b.set('Y', dec(50), 0);
    const pathA: string[] = [];
    const pathB: string[] = [];
    for (let i = 0; i < 50; i++) {
      b.step('Y', i);
      pathA.push(a.step('X', i)?.last.toString() ?? '');
      pathB.push(b.step('X', i)?.last.toString() ?? '');
    }
    expect(pathA).toEqual(pathB);
    expect(new Set(pathA).size).toBeGreaterThan(10);
    expect(pathA.every((p) => dec(p).decimalPlaces() <= 2)).toBe(true);
  });

  it('derives bid and ask from the spread and never goes below one tick', () => {
    const m = new Market(options);
    expect(m.set('X', dec('10.00'), 0)).toMatchObject({ bid: dec('9.99'), ask: dec('10.01') });
    expect(m.set('X', dec('0.01'), 0).bid.toString()).toBe('0.01');
    expect(m.set('X', { bid: dec(5), ask: dec(6) }, 0)).toMatchObject({
      last: dec('0.01'),
      bid: dec(5),
      ask: dec(6),
    });
    expect(m.step('NOPE', 0)).toBeUndefined();
  });
});
