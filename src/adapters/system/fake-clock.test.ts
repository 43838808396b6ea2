import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.js';
import { systemClock, uuidGenerator } from './system-clock.js';

describe('FakeClock', () => {
  it('fires due timers in time order when advanced, and only those', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 200);
    clock.setTimeout(() => fired.push('a'), 100);
    const c = clock.setTimeout(() => fired.push('c'), 150);
    c.cancel();
    clock.setTimeout(() => fired.push('late'), 1000);
    await clock.advance(500);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.timestamp()).toBe('2026-01-01T00:00:00.500Z');
    expect(clock.pendingTimers()).toBe(1);
  });

  it('resolves sleep on advance or abort', async () => {
    const clock = new FakeClock();
    let done = false;
    const p = clock.sleep(1000).then(() => {
      done = true;
    });
    await clock.advance(999);
    expect(done).toBe(false);
    await clock.advance(1);
    await p;
    expect(done).toBe(true);
    const ctrl = new AbortController();
    const aborted = clock.sleep(10_000, ctrl.signal);
    ctrl.abort();
    await aborted;
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('system clock and ids', () => {
  it('gives wall time, real timers and unique UUIDs', async () => {
    expect(Math.abs(systemClock.now().getTime() - Date.now())).toBeLessThan(1000);
    expect(systemClock.timestamp()).toMatch(/Z$/);
    let fired = false;
    const t = systemClock.setTimeout(() => {
      fired = true;
    }, 1);
    await systemClock.sleep(5);
    expect(fired).toBe(true);
    t.cancel();
    const ctrl = new AbortController();
    ctrl.abort();
    await systemClock.sleep(10_000, ctrl.signal);
    const ids = new Set(Array.from({ length: 100 }, () => uuidGenerator.next()));
    expect(ids.size).toBe(100);
  });
});
