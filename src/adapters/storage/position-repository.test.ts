import { describe, expect, it } from 'vitest';
import type { Position } from '../../core/position.js';
import { nextStreamPosition } from './position-repository.js';

const held: Position = {
  symbol: 'AAPL',
  assetId: 'a-1',
  qty: '10',
  side: 'long',
  avgEntryPrice: '100',
  costBasis: '1000',
  currentPrice: '110',
  lastdayPrice: '105',
  marketValue: '1100',
  unrealizedPl: '100',
  unrealizedPlpc: '0.1',
  unrealizedIntradayPl: '50',
  asOf: '2026-08-03T13:30:00Z',
  provenance: 'rest',
};
const AT = '2026-08-03T13:31:00Z';

describe('nextStreamPosition', () => {
  it('opens at the fill price without a known market price', () => {
    expect(nextStreamPosition(null, 'MSFT', '2', '300.5', AT)).toMatchObject({
      qty: '2',
      avgEntryPrice: '300.5',
      costBasis: '601',
      marketValue: null,
      unrealizedPl: null,
      unrealizedPlpc: null,
      provenance: 'stream',
      asOf: AT,
    });
  });

  it('weights the average entry when the position grows', () => {
    const next = nextStreamPosition(held, 'AAPL', '15', '130', AT);
    expect(next).toMatchObject({ qty: '15', avgEntryPrice: '110', costBasis: '1650', marketValue: '1650' });
    expect(next).toMatchObject({ unrealizedPl: '0', assetId: 'a-1', lastdayPrice: '105' });
  });

  it('keeps the average entry when the position shrinks and recomputes P/L at the last price', () => {
    expect(nextStreamPosition(held, 'AAPL', '4', '90', AT)).toMatchObject({
      qty: '4',
      avgEntryPrice: '100',
      costBasis: '400',
      marketValue: '440',
      unrealizedPl: '40',
      unrealizedPlpc: '0.1',
      unrealizedIntradayPl: null,
    });
  });

  it('restarts at the fill price on a flip to short', () => {
    expect(nextStreamPosition(held, 'AAPL', '-3', '95', AT)).toMatchObject({
      qty: '-3',
      side: 'short',
      avgEntryPrice: '95',
      costBasis: '-285',
    });
  });
});
