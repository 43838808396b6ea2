import { describe, expect, it } from 'vitest';
import { commandError, commandSummary, isFinal, resultFacts, symbolReports } from './commands';

describe('commands', () => {
  it('knows the final statuses', () => {
    expect(isFinal('succeeded')).toBe(true);
    expect(isFinal('queued')).toBe(false);
  });

  it('summarises commands from their payloads', () => {
    expect(
      commandSummary({
        type: 'submit_order',
        payload: { intent: { side: 'buy', qty: '2', symbol: 'AAPL', type: 'market' } },
      }),
    ).toBe('buy 2 AAPL market');
    expect(
      commandSummary({
        type: 'submit_order',
        payload: { side: 'sell', notional: '500', symbol: 'MSFT', type: 'market' },
      }),
    ).toBe('sell $500 MSFT market');
    expect(commandSummary({ type: 'kill_switch', payload: { reason: 'drill' } })).toBe('kill switch: drill');
    expect(commandSummary({ type: 'cancel_order', payload: { order_id: 'abcdef123456' } })).toBe(
      'cancel order abcdef12',
    );
  });

  it('renders an error object or string', () => {
    expect(commandError({ error: { code: 'broker_rejected', message: 'no' } })).toBe('broker_rejected: no');
    expect(commandError({ error: null })).toBeNull();
  });

  it('finds the per-symbol report in a kill-switch result, whatever its key', () => {
    const tables = symbolReports({
      halted: true,
      canceled_orders: 2,
      positions: [
        { symbol: 'AAPL', qty: '40', outcome: 'closed' },
        { symbol: 'MSFT', qty: '15', outcome: 'closed', order_id: 'x' },
      ],
      nested: { symbols: [{ symbol: 'NVDA', status: 'flat' }] },
    });
    expect(tables.map((t) => t.title)).toEqual(['positions', 'nested.symbols']);
    expect(tables[0]?.columns).toEqual(['symbol', 'qty', 'outcome', 'order_id']);
    expect(tables[0]?.rows[0]).toEqual({ symbol: 'AAPL', qty: '40', outcome: 'closed', order_id: '' });
    expect(resultFacts({ halted: true, canceled_orders: 2, positions: [] })).toEqual([
      ['halted', 'true'],
      ['canceled_orders', '2'],
    ]);
    expect(symbolReports(null)).toEqual([]);
    expect(resultFacts({ order_id: 'f9f53ddb-b06b-453d-8ffa-e07e5f76ca3c' })).toEqual([
      ['order_id', 'f9f53ddb…'],
    ]);
  });
});
