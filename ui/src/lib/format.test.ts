import { describe, expect, it } from 'vitest';
import {
  ageMs,
  fmtAge,
  fmtFraction,
  fmtMoney,
  fmtPct,
  fmtPrice,
  fmtQty,
  fmtSignedMoney,
  num,
  plTone,
  secondsLeft,
} from './format';

describe('format', () => {
  it('renders a missing or unparseable decimal as a dash, never NaN', () => {
    expect(num('abc')).toBeNull();
    expect(fmtMoney(null)).toBe('—');
    expect(fmtMoney('x')).toBe('—');
    expect(fmtPct(undefined)).toBe('—');
  });
  it('formats money with two decimals and a sign for P&L', () => {
    expect(fmtMoney('126600')).toBe('$126,600.00');
    expect(fmtSignedMoney('300')).toBe('+$300.00');
    expect(fmtSignedMoney('-12.5')).toBe('-$12.50');
    expect(fmtSignedMoney('0')).toBe('$0.00');
    expect(fmtSignedMoney('-0.001')).toBe('$0.00');
    expect(fmtMoney('-0.004')).toBe('$0.00');
  });
  it('formats percentages and fractions', () => {
    expect(fmtPct('1.5')).toBe('+1.50%');
    expect(fmtPct('-0.25')).toBe('-0.25%');
    expect(fmtPct('-0.0000237')).toBe('0.00%');
    expect(fmtFraction('0.0410958')).toBe('+4.11%');
    expect(fmtFraction('0.25', false, 1)).toBe('25.0%');
  });
  it('keeps fractional quantities and uses four decimals for sub-dollar prices', () => {
    expect(fmtQty('0.125')).toBe('0.125');
    expect(fmtQty('1500')).toBe('1,500');
    expect(fmtPrice('0.5')).toBe('0.5000');
    expect(fmtPrice('182.5')).toBe('182.50');
  });
  it('tones P&L as gain, loss or flat', () => {
    expect(plTone('1')).toBe('gain');
    expect(plTone('-1')).toBe('loss');
    expect(plTone('0')).toBe('flat');
    expect(plTone(null)).toBe('flat');
  });
  it('formats ages and countdowns', () => {
    expect(fmtAge(850)).toBe('850 ms');
    expect(fmtAge(12_400)).toBe('12 s');
    expect(fmtAge(180_000)).toBe('3 min');
    expect(fmtAge(null)).toBe('—');
    const now = Date.parse('2026-01-01T00:00:10Z');
    expect(ageMs('2026-01-01T00:00:00Z', now)).toBe(10_000);
    expect(ageMs('nope', now)).toBeNull();
    expect(secondsLeft('2026-01-01T00:00:40Z', now)).toBe(30);
    expect(secondsLeft('2026-01-01T00:00:00Z', now)).toBe(0);
  });
});
