import { describe, expect, it } from 'vitest';
import { admitsOrder, effectiveTradingState, isTradingState, reducesExposure } from './trading-state.js';

describe('trading state', () => {
  it('admits every order when ACTIVE, only reducing ones when REDUCING, none when HALTED', () => {
    expect(admitsOrder('ACTIVE', false)).toBe(true);
    expect(admitsOrder('REDUCING', true)).toBe(true);
    expect(admitsOrder('REDUCING', false)).toBe(false);
    expect(admitsOrder('HALTED', true)).toBe(false);
  });

  it('counts a sell up to the long position as reducing, past it not', () => {
    expect(reducesExposure('10', 'sell', '10')).toBe(true);
    expect(reducesExposure('10', 'sell', '10.5')).toBe(false);
    expect(reducesExposure('10', 'buy', '1')).toBe(false);
    expect(reducesExposure('-4', 'buy', '4')).toBe(true);
    expect(reducesExposure('0', 'sell', '1')).toBe(false);
  });

  it('gates entries while the stream is down but never loosens HALTED', () => {
    expect(effectiveTradingState('ACTIVE', false)).toBe('REDUCING');
    expect(effectiveTradingState('ACTIVE', true)).toBe('ACTIVE');
    expect(effectiveTradingState('HALTED', true)).toBe('HALTED');
    expect(effectiveTradingState('HALTED', false)).toBe('HALTED');
  });

  it('recognises the three states', () => {
    expect(isTradingState('REDUCING')).toBe(true);
    expect(isTradingState('active')).toBe(false);
  });
});
