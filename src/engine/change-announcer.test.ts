import { describe, expect, it } from 'vitest';
import { order } from '../../test/support/domain-fixtures.js';
import { systemClock } from '../adapters/system/system-clock.js';
import type { Change, ChangeNotifier } from '../ports/change-notifier.js';
import type { Store } from '../ports/store.js';
import { announcerFor } from './change-announcer.js';
import { EngineStatus } from './engine-status.js';
import { StreamConsumer } from './stream-consumer.js';

function recording(channel: ChangeNotifier['channel'] = 'in-process') {
  const changes: Change[] = [];
  const notifier: ChangeNotifier = {
    channel,
    announce: (c) => void changes.push(c),
    subscribe: () => () => {},
    close: async () => {},
  };
  return { notifier, changes };
}

const silent = { warn: () => {} };

describe('announcerFor', () => {
  it('binds the profile and passes the kind and ids', () => {
    const { notifier, changes } = recording();
    announcerFor(notifier, 'p1', silent)('orders', ['o-1']);
    expect(changes).toEqual([{ profileId: 'p1', kind: 'orders', ids: ['o-1'] }]);
  });

  it('never throws into the caller, even when the channel does', () => {
    const warned: unknown[] = [];
    const broken: ChangeNotifier = {
      ...recording().notifier,
      announce: () => {
        throw new Error('channel bug');
      },
    };
    const announce = announcerFor(broken, 'p1', { warn: (o: unknown) => void warned.push(o) });
    expect(() => announce('fills')).not.toThrow();
    expect(() => announce('fills')).not.toThrow();
    expect(warned).toHaveLength(1); // logged once, not once per change
  });

  it('announces nothing without a channel', () => {
    const { notifier, changes } = recording('polling');
    announcerFor(notifier, 'p1', silent)('orders');
    announcerFor(null, 'p1', silent)('orders');
    expect(changes).toEqual([]);
  });
});

describe('StreamConsumer announcements', () => {
  it('announces the order, fill and position of a stored fill only once its transaction committed', async () => {
    let commit: () => void = () => {};
    const committed = new Promise<void>((resolve) => {
      commit = resolve;
    });
    const store = {
      transaction: async () => {
        await committed;
        return { orderApplied: true, fillInserted: true, positionApplied: true };
      },
    } as unknown as Store;
    const { notifier, changes } = recording();
    const o = order();
    const consumer = new StreamConsumer({
      store,
      profileId: 'p1',
      clock: systemClock,
      status: new EngineStatus(),
      positionsConfirmedAt: () => null,
      onPersisted: () => {},
      onError: () => {},
      announce: announcerFor(notifier, 'p1', silent),
    });
    const stored = consumer.accept({
      event: 'fill',
      order: o,
      at: new Date().toISOString(),
      executionId: 'x-1',
      price: '10',
      qty: '1',
      positionQty: '1',
    });
    expect(consumer.pending).toBe(1); // its transaction is in flight, not committed
    expect(changes).toEqual([]);
    commit();
    await stored;
    expect(changes).toEqual([
      { profileId: 'p1', kind: 'orders', ids: [o.id] },
      { profileId: 'p1', kind: 'fills', ids: ['x-1'] },
      { profileId: 'p1', kind: 'positions', ids: [o.symbol] },
    ]);
  });
});
