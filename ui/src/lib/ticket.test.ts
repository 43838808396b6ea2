import { describe, expect, it } from 'vitest';
import { confirmPhraseFor, draftBody, EMPTY_TICKET, phraseMatches, ticketErrors } from './ticket';

describe('order ticket', () => {
  it('asks for a symbol and a positive amount', () => {
    expect(Object.keys(ticketErrors(EMPTY_TICKET)).sort()).toEqual(['amount', 'symbol']);
    expect(ticketErrors({ ...EMPTY_TICKET, symbol: 'aapl', amount: '0' }).amount).toBeDefined();
    expect(ticketErrors({ ...EMPTY_TICKET, symbol: 'aapl', amount: '1.5' })).toEqual({});
  });

  it('asks for exactly the prices the order type needs', () => {
    const base = { ...EMPTY_TICKET, symbol: 'AAPL', amount: '1' };
    expect(Object.keys(ticketErrors({ ...base, type: 'limit' }))).toEqual(['limitPrice']);
    expect(Object.keys(ticketErrors({ ...base, type: 'stop' }))).toEqual(['stopPrice']);
    expect(Object.keys(ticketErrors({ ...base, type: 'stop_limit' })).sort()).toEqual([
      'limitPrice',
      'stopPrice',
    ]);
  });

  it('builds the draft body with qty or notional and only the needed prices', () => {
    expect(draftBody({ ...EMPTY_TICKET, symbol: ' aapl ', amount: '2', limitPrice: '99' })).toEqual({
      symbol: 'AAPL',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      qty: '2',
    });
    expect(
      draftBody({
        ...EMPTY_TICKET,
        symbol: 'MSFT',
        side: 'sell',
        amountKind: 'notional',
        amount: '500',
        type: 'limit',
        limitPrice: '410.5',
      }),
    ).toEqual({
      symbol: 'MSFT',
      side: 'sell',
      type: 'limit',
      time_in_force: 'day',
      notional: '500',
      limit_price: '410.5',
    });
  });

  it('builds the live confirm phrase from the draft intent, as the API does', () => {
    expect(confirmPhraseFor({ side: 'buy', qty: '10', symbol: 'AAPL' })).toBe('BUY 10 AAPL');
    expect(confirmPhraseFor({ side: 'sell', notional: '500', symbol: 'MSFT' })).toBe('SELL $500 MSFT');
  });

  it('compares the live confirm phrase ignoring case and spacing', () => {
    expect(phraseMatches(' buy  10 aapl', 'BUY 10 AAPL')).toBe(true);
    expect(phraseMatches('BUY 1 AAPL', 'BUY 10 AAPL')).toBe(false);
    expect(phraseMatches('', null)).toBe(true);
  });
});
