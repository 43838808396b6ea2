import { describe, expect, it } from 'vitest';
import { Backoff, backoffCeiling, backoffDelay } from './backoff.js';

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

describe('backoffDelay', () => {
  it('is the capped ceiling without jitter', () => {
    const policy = { baseMs: 50, capMs: 2_000, jitter: 'none' as const };
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay({ ...policy, attempt }))).toEqual([
      50, 100, 200, 400, 800, 1600, 2000,
    ]);
    expect(backoffDelay({ ...policy, attempt: 10_000 })).toBe(2_000);
  });

  it('draws uniformly below the ceiling with full jitter (the default)', () => {
    expect(backoffDelay({ baseMs: 100, capMs: 1_000, attempt: 2, random: () => 0.5 })).toBe(200);
    expect(backoffDelay({ baseMs: 100, capMs: 1_000, attempt: 2, random: () => 0 })).toBe(0);
    expect(backoffDelay({ baseMs: 100, capMs: 1_000, attempt: 9, random: () => 0.999 })).toBe(999);
  });

  it('treats a negative attempt as the first and equal base and cap as a fixed pause', () => {
    expect(backoffCeiling(-3, { baseMs: 100, capMs: 1_000 })).toBe(100);
    expect(backoffDelay({ baseMs: 250, capMs: 250, jitter: 'none', attempt: 7 })).toBe(250);
  });

  it('a Backoff without jitter walks the same schedule', () => {
    const b = new Backoff({ baseMs: 1000, capMs: 3000, jitter: 'none' });
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([1000, 2000, 3000, 3000]);
  });
});
