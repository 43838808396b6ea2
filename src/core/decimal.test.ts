import { describe, expect, it } from 'vitest';
import { DecimalParseError, dec, decOrNull, isDecimal, str } from './decimal.js';

describe('decimals', () => {
  it('adds money exactly', () => {
    expect(str(dec('0.1').plus('0.2'))).toBe('0.3');
    expect(str(dec('19.99').times(3))).toBe('59.97');
  });

  it('parses strings and finite numbers, and fails loudly otherwise', () => {
    expect(str(dec(' 12.50 '))).toBe('12.5');
    expect(str(dec(7))).toBe('7');
    expect(() => dec(Number.NaN, 'price')).toThrow(DecimalParseError);
    expect(() => dec('12,5', 'price')).toThrow(/price: expected a decimal/);
    expect(() => dec(null)).toThrow(DecimalParseError);
    expect(decOrNull(null)).toBeNull();
    expect(decOrNull('')).toBeNull();
    expect(isDecimal('1e3')).toBe(true);
    expect(isDecimal('x')).toBe(false);
  });
});
