import { describe, expect, it } from 'vitest';
import { RequestBudget } from '../../../src/adapters/alpaca/request-budget.js';
import { FakeClock } from '../../../src/adapters/system/fake-clock.js';
import type { RequestLane } from '../../../src/ports/broker.js';

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('RequestBudget', () => {
  it('hands out the burst at once, then refills continuously', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ perMinute: 70, burst: 10 }, clock); // refill 1/s
    for (let i = 0; i < 10; i++) await budget.acquire('read');
    expect(budget.available()).toBe(0);
    let granted = false;
    void budget.acquire('read').then(() => {
      granted = true;
    });
    await clock.advance(999);
    await flush();
    expect(granted).toBe(false);
    await clock.advance(1);
    await flush();
    expect(granted).toBe(true);
  });

  it('serves the higher lane first when tokens are short', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ perMinute: 70, burst: 10 }, clock);
    for (let i = 0; i < 10; i++) await budget.acquire('read');
    const order: string[] = [];
    const lanes: RequestLane[] = ['read', 'entry', 'exit', 'read', 'cancel', 'kill_switch', 'entry'];
    lanes.forEach((lane, i) => {
      void budget.acquire(lane).then(() => order.push(`${lane}#${i}`));
    });
    expect(budget.waiting()).toBe(7);
    for (let s = 0; s < 7; s++) {
      await clock.advance(1000);
      await flush();
    }
    expect(order).toEqual(['kill_switch#5', 'cancel#4', 'exit#2', 'entry#1', 'entry#6', 'read#0', 'read#3']);
    expect(budget.waiting()).toBe(0);
  });

  it('never hands out more than perMinute tokens in any 60 s window under constant demand', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ perMinute: 200, burst: 20 }, clock);
    const grants: number[] = [];
    const start = clock.now().getTime();
    for (let i = 0; i < 600; i++) {
      void budget.acquire(i % 2 ? 'entry' : 'read').then(() => grants.push(clock.now().getTime() - start));
    }
    for (let t = 0; t < 180; t++) {
      await clock.advance(1000);
      await flush();
    }
    for (let i = 0; i < grants.length; i++) {
      const inWindow = grants.filter((g) => g >= grants[i]! && g < grants[i]! + 60_000).length;
      expect(inWindow).toBeLessThanOrEqual(200);
    }
    expect(grants.length).toBeGreaterThan(500);
  });

  it('counts requests made without acquire (SDK retries) as debt', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ perMinute: 70, burst: 10 }, clock);
    budget.debit(12);
    expect(budget.available()).toBe(0);
    let granted = false;
    void budget.acquire('kill_switch').then(() => {
      granted = true;
    });
    await clock.advance(2_500);
    await flush();
    expect(granted).toBe(false);
    await clock.advance(500);
    await flush();
    expect(granted).toBe(true);
  });

  it('defaults to 190 per minute with a burst of 10 and rejects nonsense', () => {
    const budget = new RequestBudget();
    expect([budget.perMinute, budget.burst]).toEqual([190, 10]);
    expect(() => new RequestBudget({ perMinute: 1 })).toThrow(RangeError);
    expect(() => new RequestBudget({ perMinute: 10, burst: 10 })).toThrow(RangeError);
    expect(() => new RequestBudget({ perMinute: 10.5 })).toThrow(RangeError);
  });
});
