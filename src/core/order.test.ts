import { describe, expect, it } from 'vitest';
import { order } from '../../test/support/domain-fixtures.js';
import { applyOrderUpdate, isFinalStatus, isOpenStatus, isOrderStatus, ORDER_STATUSES } from './order.js';

describe('applyOrderUpdate', () => {
  it('stores an order it has never seen', () => {
    const update = order();
    expect(applyOrderUpdate(null, update)).toEqual({ applied: true, order: update });
  });

  it('moves an order forward through its lifecycle', () => {
    const working = order({ status: 'new', updatedAt: '2026-08-03T13:31:02.200Z' });
    const partial = order({
      status: 'partially_filled',
      filledQty: '4',
      updatedAt: '2026-08-03T13:31:02.300Z',
    });
    const filled = order({ status: 'filled', filledQty: '10', updatedAt: '2026-08-03T13:31:02.400Z' });
    let current = applyOrderUpdate(order(), working).order;
    current = applyOrderUpdate(current, partial).order;
    const outcome = applyOrderUpdate(current, filled);
    expect(outcome.applied).toBe(true);
    expect(outcome.order.status).toBe('filled');
  });

  it('ignores a duplicate update', () => {
    const current = order({ status: 'new' });
    expect(applyOrderUpdate(current, { ...current })).toMatchObject({ applied: false, reason: 'duplicate' });
  });

  it('never leaves a final status', () => {
    const filled = order({ status: 'filled', filledQty: '10', updatedAt: '2026-08-03T13:31:03Z' });
    const late = order({ status: 'new', updatedAt: '2026-08-03T13:31:09Z' });
    expect(applyOrderUpdate(filled, late)).toMatchObject({ applied: false, reason: 'final', order: filled });
  });

  it('ignores an update that has filled less than the order we hold', () => {
    const partial = order({ status: 'partially_filled', filledQty: '6', updatedAt: '2026-08-03T13:31:03Z' });
    const stale = order({ status: 'partially_filled', filledQty: '4', updatedAt: '2026-08-03T13:31:04Z' });
    expect(applyOrderUpdate(partial, stale)).toMatchObject({ applied: false, reason: 'stale' });
  });

  it('ignores an update older by the broker clock', () => {
    const current = order({ status: 'pending_cancel', updatedAt: '2026-08-03T13:31:05.000000500Z' });
    const older = order({ status: 'new', updatedAt: '2026-08-03T13:31:05.000000400Z' });
    expect(applyOrderUpdate(current, older)).toMatchObject({ applied: false, reason: 'stale' });
  });

  it('does not step back in the lifecycle at the same broker time', () => {
    const current = order({ status: 'new' });
    const same = order({ status: 'pending_new' });
    expect(applyOrderUpdate(current, same)).toMatchObject({ applied: false, reason: 'stale' });
  });

  it('accepts a fill that arrives after a pending cancel (the cancel race)', () => {
    const pending = order({ status: 'pending_cancel', updatedAt: '2026-08-03T13:31:05Z' });
    const filled = order({ status: 'filled', filledQty: '10', updatedAt: '2026-08-03T13:31:04Z' });
    expect(applyOrderUpdate(pending, filled)).toMatchObject({ applied: true, order: filled });
  });

  it('refuses to merge two different orders', () => {
    expect(() => applyOrderUpdate(order(), order({ id: 'o-2' }))).toThrow(/ids differ/);
  });
});

describe('order statuses', () => {
  it('covers every broker status, each either final or open except calculated', () => {
    expect(ORDER_STATUSES).toHaveLength(17);
    const neither = ORDER_STATUSES.filter((s) => !isFinalStatus(s) && !isOpenStatus(s));
    expect(neither).toEqual(['calculated']);
    expect(ORDER_STATUSES.filter((s) => isFinalStatus(s) && isOpenStatus(s))).toEqual([]);
  });

  it('recognises status strings', () => {
    expect(isOrderStatus('held')).toBe(true);
    expect(isOrderStatus('bogus')).toBe(false);
    expect(isOrderStatus(3)).toBe(false);
  });
});
