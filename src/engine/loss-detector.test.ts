import { describe, expect, it } from 'vitest';
import { order } from '../../test/support/domain-fixtures.js';
import type { TradeUpdate } from '../ports/broker.js';
import { StreamLossDetector } from './loss-detector.js';

let n = 0;
function fill(symbol: string, side: 'buy' | 'sell', qty: string, positionQty: string): TradeUpdate {
  n++;
  return {
    event: 'fill',
    order: order({ symbol, side }),
    at: `2026-08-03T13:31:${String(n % 60).padStart(2, '0')}Z`,
    executionId: `x${n}`,
    price: '10',
    qty,
    positionQty,
  };
}

function detector(now = { ms: 1_000 }) {
  return { d: new StreamLossDetector(() => now.ms), now };
}

describe('stream loss detector', () => {
  it('accepts a chain whose every fill adds up, buys and sells, in decimals', () => {
    const { d } = detector();
    d.observe(fill('AAPL', 'buy', '2', '2'), true);
    d.observe(fill('AAPL', 'buy', '0.5', '2.5'), true);
    d.observe(fill('AAPL', 'sell', '3', '-0.5'), true);
    d.observe(fill('MSFT', 'sell', '1', '-1'), true);
    expect(d.take()).toEqual([]);
  });

  it('reports a link that does not add up, from the time of the last good link', () => {
    const { d } = detector();
    const first = fill('AAPL', 'buy', '1', '1');
    expect(d.observe(first, true)).toBe(false);
    expect(d.pending).toBe(false);
    expect(d.observe(fill('AAPL', 'buy', '1', '4'), true)).toBe(true);
    expect(d.pending).toBe(true); // the ledger is not trusted until a reconciliation takes it
    const [e] = d.take();
    expect(d.pending).toBe(false);
    expect(e).toMatchObject({ kind: 'position_chain', symbol: 'AAPL', since: first.at });
    expect(e?.detail).toContain('expected 2');
    d.observe(fill('AAPL', 'sell', '1', '3'), true); // the chain continues from the broker's value
    expect(d.take()).toEqual([]);
  });

  it('ignores replays, events without a position, and non-fill events', () => {
    const { d } = detector();
    d.observe(fill('AAPL', 'buy', '1', '1'), true);
    d.observe(fill('AAPL', 'buy', '1', '1'), false);
    d.observe({ ...fill('AAPL', 'buy', '5', '9'), positionQty: null }, true);
    d.observe({ ...fill('AAPL', 'buy', '5', '9'), event: 'canceled' }, true);
    d.observe(fill('AAPL', 'buy', '1', '2'), true);
    expect(d.take()).toEqual([]);
  });

  it('starts chains afresh after a reset (a reconnect)', () => {
    const { d } = detector();
    d.observe(fill('AAPL', 'buy', '1', '1'), true);
    d.reset();
    expect(d.has('AAPL')).toBe(false);
    d.observe(fill('AAPL', 'buy', '1', '7'), true);
    expect(d.take()).toEqual([]);
    expect(d.has('AAPL')).toBe(true);
  });

  it("compares the broker's positions with quiet chains only, leaving symbols without a chain to the caller", () => {
    const { d, now } = detector();
    d.observe(fill('AAPL', 'buy', '1', '1'), true);
    now.ms = 9_000;
    d.observe(fill('MSFT', 'buy', '1', '1'), true);
    const broker = new Map([
      ['AAPL', '3'],
      ['MSFT', '5'],
      ['NVDA', '2'],
    ]);
    const evidence = d.compare(broker, 10_000, 5_000);
    // MSFT's events may be in flight; NVDA has no chain to compare with
    expect(evidence.map((e) => e.symbol)).toEqual(['AAPL']);
    expect(evidence[0]?.kind).toBe('position_mismatch');
    expect(d.compare(new Map([['MSFT', '1']]), 10_000, 5_000).map((e) => e.symbol)).toEqual([
      'AAPL', // the broker holds none: 0 against the chain's 1
    ]);
  });

  it('rebases quiet chains on the broker after a deep re-read', () => {
    const { d } = detector();
    d.observe(fill('AAPL', 'buy', '1', '1'), true);
    d.rebase(new Map([['AAPL', '3']]), 10_000, 5_000);
    expect(d.compare(new Map([['AAPL', '3']]), 10_000, 5_000)).toEqual([]);
    d.observe(fill('AAPL', 'sell', '1', '2'), true);
    expect(d.take()).toEqual([]);
  });
});
