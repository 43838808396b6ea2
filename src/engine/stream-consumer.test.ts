import { describe, expect, it } from 'vitest';
import { order } from '../../test/support/domain-fixtures.js';
import { systemClock } from '../adapters/system/system-clock.js';
import type { Store } from '../ports/store.js';
import { EngineStatus } from './engine-status.js';
import { StreamConsumer } from './stream-consumer.js';

/** A store whose transactions wait until `open()` is called. */
function gatedStore() {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const store = {
    transaction: async () => {
      await gate;
      return { orderApplied: true, fillInserted: false, positionApplied: false };
    },
  } as unknown as Store;
  return { store, open };
}

function consumer(store: Store) {
  return new StreamConsumer({
    store,
    profileId: 'default',
    clock: systemClock,
    status: new EngineStatus(),
    positionsConfirmedAt: () => null,
    onPersisted: () => {},
    onError: () => {},
  });
}

const update = {
  event: 'new',
  order: order(),
  at: new Date().toISOString(),
  executionId: null,
  price: null,
  qty: null,
  positionQty: null,
};

describe('StreamConsumer.caughtUp', () => {
  it('is true at once with nothing queued', async () => {
    expect(await consumer(gatedStore().store).caughtUp(10)).toBe(true);
  });

  it('waits for received events to be stored, and gives up after the bound', async () => {
    const { store, open } = gatedStore();
    const c = consumer(store);
    const stored = c.accept(update);
    expect(c.pending).toBe(1);
    expect(await c.caughtUp(30)).toBe(false);
    const later = c.caughtUp(5_000);
    open();
    await stored;
    expect(await later).toBe(true);
    expect(c.pending).toBe(0);
  });
});
