import { describe, expect, it } from 'vitest';
import { FakeClock } from '../adapters/system/fake-clock.js';
import type { ChangeKind } from '../ports/change-notifier.js';
import { announceAndSignal, ChangeSignal, changedWithin } from './change-signal.js';

describe('ChangeSignal', () => {
  it('wakes the waiters of the kind that changed, once', async () => {
    const signal = new ChangeSignal();
    const woke: string[] = [];
    void signal.next(['orders']).changed.then(() => woke.push('orders'));
    void signal.next(['fills']).changed.then(() => woke.push('fills'));
    signal.fire('orders');
    await Promise.resolve();
    expect(woke).toEqual(['orders']);
    expect(signal.waiting).toBe(1);
    signal.fire('orders');
    await Promise.resolve();
    expect(woke).toEqual(['orders']);
  });

  it('announces on the channel and fires the signal', () => {
    const signal = new ChangeSignal();
    const sent: ChangeKind[] = [];
    const wait = signal.next(['orders']);
    let fired = false;
    void wait.changed.then(() => {
      fired = true;
    });
    announceAndSignal((kind) => sent.push(kind), signal)('orders', ['o1']);
    expect(sent).toEqual(['orders']);
    return Promise.resolve().then(() => expect(fired).toBe(true));
  });

  it('changedWithin: true on the change, false at the timeout, and leaves no timer or waiter', async () => {
    const clock = new FakeClock();
    const signal = new ChangeSignal();
    const first = changedWithin(signal.next(['orders']), 1_000, clock);
    signal.fire('orders');
    expect(await first).toBe(true);
    expect(clock.pendingTimers()).toBe(0);

    const second = changedWithin(signal.next(['orders']), 1_000, clock);
    await clock.advance(1_000);
    expect(await second).toBe(false);
    expect(signal.waiting).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });
});
