// Stopping the engine settles the work it started without awaiting (the audit of a fill, a
// heartbeat beat) before it returns, so nothing writes to a store its owner is about to close.
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.js';
import { PROFILE, type Rig, startRig, waitFor } from './harness.js';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

/** A store whose fill audits take `ms` to write, recording when each one finished. */
function slowFillAudits(ms: number, finished: number[]) {
  return (store: Store): Store => ({
    ...store,
    audit: {
      ...store.audit,
      append: async (event) => {
        if (event.action === 'fill.recorded') await new Promise((r) => setTimeout(r, ms));
        const result = await store.audit.append(event);
        if (event.action === 'fill.recorded') finished.push(Date.now());
        return result;
      },
    },
  });
}

describe('engine shutdown', () => {
  it('waits for a fill audit still being written before it returns', async () => {
    const finished: number[] = [];
    rig = await startRig({}, {}, {}, { store: slowFillAudits(400, finished) });
    await rig.engine.ready();
    await rig.engine.streamHealthy();
    const order = rig.sim.broker.submit({
      symbol: 'AAPL',
      qty: '1',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
    });
    await waitFor(async () => (await rig!.store.fills.list(PROFILE, { orderId: order.id })).length === 1);
    expect(finished).toHaveLength(0); // the audit is still in flight
    await rig.engine.stop();
    const stoppedAt = Date.now();
    expect(finished).toHaveLength(1);
    expect(finished[0]).toBeLessThanOrEqual(stoppedAt);
    const audits = await rig.store.audit.list(PROFILE, { action: 'fill.recorded' });
    expect(audits.map((a) => a.data.orderId)).toEqual([order.id]);
  });
});
