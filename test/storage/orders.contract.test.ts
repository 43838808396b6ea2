import { expect, it } from 'vitest';
import type { Order } from '../../src/core/order.js';
import { at, makeOrder } from './fixtures.js';
import { describeStore, newProfile } from './store-harness.js';

await describeStore('store: orders', (h) => {
  it('stores a new order and reads it back by id and by client order id', async () => {
    const profile = newProfile();
    const order = makeOrder({ extendedHours: true, createdAt: '2026-08-03T13:30:00.123456789Z' });
    const outcome = await h.store.orders.apply(profile, order);
    expect(outcome).toEqual({ applied: true, order });
    expect(await h.store.orders.get(profile, order.id)).toEqual(order);
    expect(await h.store.orders.getByClientOrderId(profile, order.clientOrderId)).toEqual(order);
    expect(await h.store.orders.get(profile, 'missing')).toBeNull();
    expect(await h.store.orders.getByClientOrderId(profile, 'missing')).toBeNull();
  });

  it('applies a newer update over the stored order', async () => {
    const profile = newProfile();
    const order = makeOrder();
    await h.store.orders.apply(profile, order);
    const filled = {
      ...order,
      status: 'filled' as const,
      filledQty: '10',
      filledAvgPrice: '187.2',
      updatedAt: at(5),
    };
    expect((await h.store.orders.apply(profile, filled)).applied).toBe(true);
    expect(await h.store.orders.get(profile, order.id)).toEqual(filled);
  });

  it('ignores a stale order update', async () => {
    const profile = newProfile();
    const order = makeOrder({ status: 'partially_filled', filledQty: '4', updatedAt: at(10) });
    await h.store.orders.apply(profile, order);
    const older = { ...order, status: 'new' as const, filledQty: '0', updatedAt: at(1) };
    expect(await h.store.orders.apply(profile, older)).toMatchObject({ applied: false, reason: 'stale' });
    expect(await h.store.orders.get(profile, order.id)).toEqual(order);
  });

  it('ignores a duplicate order update', async () => {
    const profile = newProfile();
    const order = makeOrder();
    await h.store.orders.apply(profile, order);
    expect(await h.store.orders.apply(profile, { ...order })).toMatchObject({
      applied: false,
      reason: 'duplicate',
    });
  });

  it('never leaves a final order status', async () => {
    const profile = newProfile();
    const order = makeOrder({ status: 'canceled', canceledAt: at(3), updatedAt: at(3) });
    await h.store.orders.apply(profile, order);
    const later = { ...order, status: 'new' as const, updatedAt: at(30) };
    expect(await h.store.orders.apply(profile, later)).toMatchObject({ applied: false, reason: 'final' });
    expect((await h.store.orders.get(profile, order.id))?.status).toBe('canceled');
  });

  it('never moves an order backwards under concurrent updates in any order', async () => {
    const profile = newProfile();
    const base = makeOrder();
    const updates: Order[] = [0, 2, 4, 6, 8, 10].map((filled, i) => ({
      ...base,
      status: filled === 10 ? 'filled' : filled === 0 ? 'new' : 'partially_filled',
      filledQty: String(filled),
      updatedAt: at(i),
    }));
    const shuffled = [updates[3], updates[5], updates[0], updates[4], updates[1], updates[2]] as Order[];
    await Promise.all(shuffled.map((u) => h.store.orders.apply(profile, u)));
    expect(await h.store.orders.get(profile, base.id)).toEqual(updates[5]);
  });

  it('creates an order once when its first updates race', async () => {
    const profile = newProfile();
    const order = makeOrder();
    const results = await Promise.all([1, 2, 3, 4].map(() => h.store.orders.apply(profile, order)));
    expect(results.filter((r) => r.applied)).toHaveLength(1);
    expect(await h.store.orders.list(profile)).toHaveLength(1);
  });

  it('refuses a second order that reuses a client order id', async () => {
    const profile = newProfile();
    const first = makeOrder();
    await h.store.orders.apply(profile, first);
    const clash = makeOrder({ clientOrderId: first.clientOrderId });
    await expect(h.store.orders.apply(profile, clash)).rejects.toThrow(/client order id/);
  });

  it('keeps each profile’s orders apart', async () => {
    const [a, b] = [newProfile(), newProfile()];
    const order = makeOrder();
    await h.store.orders.apply(a, order);
    await h.store.orders.apply(b, { ...order, symbol: 'MSFT' });
    expect((await h.store.orders.get(a, order.id))?.symbol).toBe('AAPL');
    expect((await h.store.orders.get(b, order.id))?.symbol).toBe('MSFT');
  });

  it('lists orders newest first, filtered by open/closed, symbol, since and limit', async () => {
    const profile = newProfile();
    // Fraction lengths vary on purpose: text order of these strings is not chronological.
    const o1 = makeOrder({ createdAt: '2026-08-03T13:30:00.9Z', symbol: 'AAPL' });
    const o2 = makeOrder({
      createdAt: '2026-08-03T13:30:00.10Z',
      symbol: 'MSFT',
      status: 'filled',
      filledQty: '10',
    });
    const o3 = makeOrder({ createdAt: '2026-08-03T13:30:01Z', symbol: 'AAPL', status: 'canceled' });
    for (const o of [o1, o2, o3]) await h.store.orders.apply(profile, o);
    const ids = (list: Order[]) => list.map((o) => o.id);
    expect(ids(await h.store.orders.list(profile))).toEqual([o3.id, o1.id, o2.id]);
    expect(ids(await h.store.orders.list(profile, { status: 'all' }))).toEqual([o3.id, o1.id, o2.id]);
    expect(ids(await h.store.orders.list(profile, { status: 'open' }))).toEqual([o1.id]);
    expect(ids(await h.store.orders.list(profile, { status: 'closed' }))).toEqual([o3.id, o2.id]);
    expect(ids(await h.store.orders.list(profile, { symbol: 'AAPL' }))).toEqual([o3.id, o1.id]);
    expect(ids(await h.store.orders.list(profile, { since: '2026-08-03T13:30:00.5Z' }))).toEqual([
      o3.id,
      o1.id,
    ]);
    expect(ids(await h.store.orders.list(profile, { limit: 1 }))).toEqual([o3.id]);
    expect(await h.store.orders.list(newProfile())).toEqual([]);
  });
});
