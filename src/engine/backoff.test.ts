import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles the ceiling per attempt up to the cap, with full jitter below it', () => {
    const draws = [0.5, 0.5, 0.5, 0.5, 0.5, 0.999, 0];
    const b = new Backoff({ baseMs: 500, capMs: 30_000, random: () => draws.shift() ?? 0.5 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([250, 500, 1000, 2000, 4000]);
    expect(b.next()).toBe(Math.floor(0.999 * 16_000));
    expect(b.next()).toBe(0);
    for (let i = 0; i < 20; i++) b.next();
    expect(b.ceiling()).toBe(30_000);
  });

  it('starts over after reset', () => {
    const b = new Backoff({ baseMs: 100, capMs: 1000, random: () => 1 });
    b.next();
    b.next();
    expect(b.attempts).toBe(2);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(100);
  });
});
