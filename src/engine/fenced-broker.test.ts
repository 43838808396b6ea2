import { describe, expect, it } from 'vitest';
import type { TradingState } from '../core/trading-state.js';
import type { Broker } from '../ports/broker.js';
import { type Fence, StaleFenceError, type Store } from '../ports/store.js';
import { fencedBroker, WriteRefusedError } from './fenced-broker.js';
import { LeaseLostError } from './lease.js';

/** A broker that records which methods were called, and a store whose guard we control. */
function rig(opts: { state?: TradingState; stale?: boolean; lapsed?: boolean } = {}) {
  const calls: string[] = [];
  const broker = new Proxy({} as Broker, {
    get: (_t, property) => async () => {
      calls.push(String(property));
      return property === 'submitOrder' ? { id: 'o1' } : [];
    },
  });
  const store = {
    leases: {
      guard: async (profileId: string, fence: Fence) => {
        if (opts.stale) throw new StaleFenceError(profileId, fence);
        return opts.state ?? 'ACTIVE';
      },
    },
  } as unknown as Store;
  const fenced = fencedBroker(broker, {
    store,
    profileId: 'p',
    fence: () => ({ holder: 'h', token: 1 }),
    assertHeld: () => {
      if (opts.lapsed) throw new LeaseLostError('paused past the lease');
    },
  });
  return { calls, fenced };
}

const order = {
  symbol: 'AAPL',
  side: 'buy',
  qty: '1',
  type: 'market',
  timeInForce: 'day',
  clientOrderId: 'c',
} as never;

describe('fenced broker', () => {
  it('sends a write only while the lease is proved, and reads always', async () => {
    const ok = rig();
    await ok.fenced.submitOrder(order, { lane: 'entry' });
    await ok.fenced.closeAllPositions(true);
    await ok.fenced.listPositions();
    expect(ok.calls).toEqual(['submitOrder', 'closeAllPositions', 'listPositions']);
  });

  it('sends nothing when another engine took the lease (stale token)', async () => {
    const stale = rig({ stale: true });
    await expect(stale.fenced.submitOrder(order)).rejects.toBeInstanceOf(StaleFenceError);
    await expect(stale.fenced.cancelAllOrders()).rejects.toBeInstanceOf(StaleFenceError);
    await expect(stale.fenced.setTradeSuspended(true)).rejects.toBeInstanceOf(StaleFenceError);
    expect(stale.calls).toEqual([]);
    await stale.fenced.listOrders({ status: 'open' });
    expect(stale.calls).toEqual(['listOrders']);
  });

  it('sends nothing after a pause that outlasted the lease, even when the store still agrees', async () => {
    const paused = rig({ lapsed: true });
    await expect(paused.fenced.submitOrder(order)).rejects.toBeInstanceOf(LeaseLostError);
    await expect(paused.fenced.cancelOrder('x')).rejects.toBeInstanceOf(LeaseLostError);
    expect(paused.calls).toEqual([]);
  });

  it('refuses a submission the durable state forbids: HALTED everything, REDUCING all but exits', async () => {
    const halted = rig({ state: 'HALTED' });
    const refusal = await halted.fenced.submitOrder(order, { lane: 'exit' }).catch((e) => e);
    expect(refusal).toBeInstanceOf(WriteRefusedError);
    expect(refusal.code).toBe('TRADING_HALTED');
    // the kill switch's own writes still go through while HALTED
    await halted.fenced.closeAllPositions(true, { lane: 'kill_switch' });
    expect(halted.calls).toEqual(['closeAllPositions']);
    const reducing = rig({ state: 'REDUCING' });
    expect((await reducing.fenced.submitOrder(order, { lane: 'entry' }).catch((e) => e)).code).toBe(
      'TRADING_REDUCING',
    );
    await reducing.fenced.submitOrder(order, { lane: 'exit' });
    expect(reducing.calls).toEqual(['submitOrder']);
  });
});
