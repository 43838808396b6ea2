import { describe, expect, it } from 'vitest';
import {
  compareTimestamps,
  TimestampParseError,
  timestampMs,
  toTimestamp,
  toTimestampOrNull,
} from './time.js';

describe('timestamps', () => {
  it('normalises offsets to UTC and keeps nanoseconds', () => {
    expect(toTimestamp('2026-08-03T10:07:04.451420928-04:00')).toBe('2026-08-03T14:07:04.451420928Z');
    expect(toTimestamp('2026-08-03T13:31:02Z')).toBe('2026-08-03T13:31:02.000Z');
    expect(toTimestamp(new Date('2026-08-03T13:31:02.5Z'))).toBe('2026-08-03T13:31:02.500Z');
  });

  it('orders by sub-millisecond digits', () => {
    expect(compareTimestamps('2026-08-03T13:31:02.100000001Z', '2026-08-03T13:31:02.1Z')).toBeGreaterThan(0);
    expect(compareTimestamps('2026-08-03T09:31:02-04:00', '2026-08-03T13:31:02Z')).toBe(0);
    expect(timestampMs('1970-01-01T00:00:01.5Z')).toBe(1500);
  });

  it('fails loudly on a bad timestamp instead of carrying an invalid date', () => {
    expect(() => toTimestamp('yesterday', 'created_at')).toThrow(TimestampParseError);
    expect(() => toTimestamp('yesterday', 'created_at')).toThrow(/created_at/);
    expect(() => toTimestamp(new Date('nope'))).toThrow(TimestampParseError);
    expect(() => toTimestamp(12)).toThrow(TimestampParseError);
    expect(toTimestampOrNull(null)).toBeNull();
  });
});
