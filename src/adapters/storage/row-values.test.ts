import { describe, expect, it } from 'vitest';
import { StorageDataError } from './errors.js';
import { fromFlag, fromJson, fromJsonOrNull, oneOf, timeKey, toFlag } from './row-values.js';

describe('timeKey', () => {
  it('sorts as text in time order whatever the fraction length or offset', () => {
    const times = [
      '2026-08-03T13:30:00.9Z',
      '2026-08-03T13:30:00.10Z',
      '2026-08-03T13:30:00Z',
      '2026-08-03T15:30:00.5+02:00',
      '2026-08-03T13:30:00.123456789Z',
    ];
    const byKey = [...times].sort((a, b) => (timeKey(a) < timeKey(b) ? -1 : 1));
    expect(byKey).toEqual([
      '2026-08-03T13:30:00Z',
      '2026-08-03T13:30:00.10Z',
      '2026-08-03T13:30:00.123456789Z',
      '2026-08-03T15:30:00.5+02:00',
      '2026-08-03T13:30:00.9Z',
    ]);
    expect(timeKey('2026-08-03T13:30:00.123456789Z')).toBe('2026-08-03T13:30:00.123456789Z');
    expect(timeKey('2026-08-03T13:30:00Z')).toBe('2026-08-03T13:30:00.000000000Z');
  });

  it('fails loudly on a value that is not a timestamp', () => {
    expect(() => timeKey('yesterday')).toThrow(/RFC 3339/);
  });
});

describe('column values', () => {
  it('round-trips JSON and reports corrupt JSON with its table and column', () => {
    expect(fromJson('{"a":[1]}', 't', 'c')).toEqual({ a: [1] });
    expect(fromJsonOrNull(null, 't', 'c')).toBeNull();
    expect(() => fromJson('{oops', 'commands', 'payload')).toThrow(StorageDataError);
    expect(() => fromJson('{oops', 'commands', 'payload')).toThrow(/commands\.payload/);
  });

  it('stores booleans as 0/1', () => {
    expect([toFlag(true), toFlag(false)]).toEqual([1, 0]);
    expect([fromFlag(1), fromFlag(0), fromFlag(true)]).toEqual([true, false, true]);
  });

  it('rejects a stored value outside its closed set', () => {
    expect(oneOf(['a', 'b'] as const, 'a', 't', 'c')).toBe('a');
    expect(() => oneOf(['a', 'b'] as const, 'z', 'orders', 'status')).toThrow(/orders\.status/);
  });
});
