import { describe, expect, it } from 'vitest';
import type { Command } from '../api/types';
import {
  applyEvent,
  environmentOf,
  FILLS_WINDOW,
  INITIAL_STATE,
  isOpenOrder,
  mergeFills,
  upsertCommand,
} from './live';

const msg = (event: string, data: unknown) => ({ event, data: JSON.stringify(data), id: null });

describe('live state from SSE events', () => {
  it('replaces each kind with its fresh snapshot', () => {
    let s = applyEvent(
      INITIAL_STATE,
      msg('positions', { positions: [{ symbol: 'AAPL', as_of: '2026-01-01T00:00:00Z' }] }),
      1,
    );
    expect(s.positions).toHaveLength(1);
    expect(s.positionsAsOf).toBe('2026-01-01T00:00:00Z');
    s = applyEvent(s, msg('orders', { orders: [{ id: 'o1', status: 'new' }] }), 2);
    expect(s.orders).toHaveLength(1);
    expect(s.ordersVersion).toBe(1);
    s = applyEvent(s, msg('account', { account: { equity: '1' } }), 3);
    expect(s.account?.equity).toBe('1');
    expect(s.accountVersion).toBe(1);
    s = applyEvent(s, msg('trading_state', { state: 'HALTED', reason: 'kill switch' }), 4);
    expect(s.tradingState?.state).toBe('HALTED');
    s = applyEvent(s, msg('engine', { engine: { environment: 'live' } }), 5);
    expect(environmentOf(s)).toBe('live');
    expect(s.lastEventAt).toBe(5);
  });

  it('ignores unknown kinds and unparseable data', () => {
    expect(applyEvent(INITIAL_STATE, msg('weird', {}), 1)).toBe(INITIAL_STATE);
    expect(applyEvent(INITIAL_STATE, { event: 'orders', data: '{oops', id: null }, 1)).toBe(INITIAL_STATE);
  });

  it('tells open orders from finished ones', () => {
    expect(isOpenOrder({ status: 'partially_filled' })).toBe(true);
    expect(isOpenOrder({ status: 'filled' })).toBe(false);
  });

  it('merges a followed command into the log, newest first, without duplicates', () => {
    const c = (id: string, at: string, status = 'queued') => ({ id, created_at: at, status }) as Command;
    const log = [c('b', '2026-01-01T00:00:02Z'), c('a', '2026-01-01T00:00:01Z')];
    const out = upsertCommand(log, c('a', '2026-01-01T00:00:01Z', 'succeeded'));
    expect(out.map((x) => [x.id, x.status])).toEqual([
      ['b', 'queued'],
      ['a', 'succeeded'],
    ]);
  });

  it('merges fills events (deltas) by execution id, newest first, within the window', () => {
    const f = (id: string, at: string) => ({
      execution_id: id,
      order_id: 'o',
      client_order_id: null,
      symbol: 'AAPL',
      side: 'buy' as const,
      qty: '1',
      price: '1',
      at,
      position_qty: null,
      source: 'stream' as const,
    });
    let s = applyEvent(INITIAL_STATE, msg('fills', { fills: [f('x1', '2026-01-01T00:00:01Z')] }), 1);
    s = applyEvent(s, msg('fills', { fills: [f('x2', '2026-01-01T00:00:02Z')] }), 2);
    s = applyEvent(
      s,
      msg('fills', { fills: [f('x2', '2026-01-01T00:00:02Z'), f('x1', '2026-01-01T00:00:01Z')] }),
      3,
    );
    expect(s.fills.map((x) => x.execution_id)).toEqual(['x2', 'x1']);
    const many = Array.from({ length: FILLS_WINDOW + 5 }, (_, i) =>
      f(`m${i}`, new Date(Date.UTC(2026, 0, 2, 0, 0, i)).toISOString()),
    );
    expect(mergeFills(s.fills, many)).toHaveLength(FILLS_WINDOW);
    expect(mergeFills(s.fills, many)[0]?.execution_id).toBe(`m${FILLS_WINDOW + 4}`);
  });
});
