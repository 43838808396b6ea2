import { describe, expect, it } from 'vitest';
import type { Fill } from '../core/fill.js';
import { missingFills, sameExecution } from './fill-identity.js';

const base: Fill = {
  executionId: 'x1',
  orderId: 'o1',
  clientOrderId: null,
  symbol: 'AAPL',
  side: 'buy',
  qty: '1',
  price: '10',
  at: '2026-08-03T13:31:02.401Z',
  positionQty: null,
  source: 'stream',
};
const f = (over: Partial<Fill>): Fill => ({ ...base, ...over });

describe('fill identity', () => {
  it('recognises the same execution by order, quantity and time (not by id)', () => {
    expect(
      sameExecution(base, f({ executionId: 'act-1', qty: '1.0', at: '2026-08-03T13:31:02.401000Z' })),
    ).toBe(true);
    expect(sameExecution(base, f({ qty: '2' }))).toBe(false);
    expect(sameExecution(base, f({ orderId: 'o2' }))).toBe(false);
  });

  it('back-fills only the executions the ledger lacks, counting equal executions as a multiset', () => {
    const stored = [base, f({ executionId: 'act-9', source: 'activity', at: '2026-08-03T13:31:05Z' })];
    const activities = [
      f({ executionId: 'act-1', source: 'activity' }), // the stream's x1
      f({ executionId: 'act-2', source: 'activity' }), // a second, equal execution: missing
      f({ executionId: 'act-9', source: 'activity', at: '2026-08-03T13:31:05Z' }), // already back-filled
      f({ executionId: 'act-3', source: 'activity', qty: '4' }), // missing
    ];
    expect(missingFills(stored, activities).map((x) => x.executionId)).toEqual(['act-2', 'act-3']);
  });
});
