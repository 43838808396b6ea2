import { describe, expect, it } from 'vitest';
import {
  etInstant,
  formatEt,
  nextOpenClose,
  phaseAt,
  phaseUntil,
  tradingDay,
  tradingDays,
  yearRules,
} from './session-calendar.js';

describe('session calendar', () => {
  it('knows the 2026 NYSE holidays, including observed and moving ones', () => {
    const { holidays, early } = yearRules(2026);
    for (const d of [
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-04-03',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03',
      '2026-09-07',
      '2026-11-26',
      '2026-12-25',
    ]) {
      expect(holidays.has(d)).toBe(true);
    }
    expect([...early].sort()).toEqual(['2026-11-27', '2026-12-24']);
    expect(tradingDay('2026-07-04')).toBeNull();
    expect(tradingDay('2026-11-27')).toEqual({ date: '2026-11-27', open: '09:30', close: '13:00' });
  });

  it('does not observe New Year on the Friday before when it falls on a Saturday', () => {
    expect(tradingDay('2028-01-03')).not.toBeNull();
    expect(tradingDay('2027-12-31')).not.toBeNull();
  });

  it('converts ET wall-clock times across daylight saving', () => {
    expect(new Date(etInstant('2026-01-05', '09:30')).toISOString()).toBe('2026-01-05T14:30:00.000Z');
    expect(new Date(etInstant('2026-07-06', '09:30')).toISOString()).toBe('2026-07-06T13:30:00.000Z');
    expect(formatEt(Date.parse('2026-08-03T14:07:04.451Z'))).toBe('2026-08-03T10:07:04.451-04:00');
    expect(formatEt(Date.parse('2026-01-05T15:00:00Z'))).toBe('2026-01-05T10:00:00.000-05:00');
  });

  it('classifies session phases and finds the next open and close', () => {
    expect(phaseAt(Date.parse('2026-08-03T11:00:00Z'))).toBe('pre');
    expect(phaseAt(Date.parse('2026-08-03T14:00:00Z'))).toBe('core');
    expect(phaseAt(Date.parse('2026-08-03T21:00:00Z'))).toBe('post');
    expect(phaseAt(Date.parse('2026-08-04T01:00:00Z'))).toBe('overnight');
    expect(phaseAt(Date.parse('2026-08-04T07:59:00Z'))).toBe('overnight');
    // Overnight runs Sunday 20:00 to Friday 04:00 ET; not into a weekend or a holiday.
    expect(phaseAt(Date.parse('2026-08-08T01:00:00Z'))).toBe('closed');
    expect(phaseAt(Date.parse('2026-08-09T23:59:00Z'))).toBe('closed');
    expect(phaseAt(Date.parse('2026-08-10T00:00:00Z'))).toBe('overnight');
    expect(phaseAt(Date.parse('2026-09-07T01:00:00Z'))).toBe('closed');
    expect(phaseAt(Date.parse('2026-09-08T01:00:00Z'))).toBe('overnight');
    // After a 13:00 early close: post until 17:00, closed until 20:00, then overnight.
    expect(phaseAt(Date.parse('2026-11-27T22:30:00Z'))).toBe('closed');
    expect(phaseAt(Date.parse('2026-11-28T01:30:00Z'))).toBe('closed');
    expect(phaseAt(Date.parse('2026-12-24T22:30:00Z'))).toBe('closed');
    expect(phaseAt(Date.parse('2026-08-08T15:00:00Z'))).toBe('closed');
    const { nextOpen, nextClose } = nextOpenClose(Date.parse('2026-08-07T21:00:00Z'));
    expect(new Date(nextOpen).toISOString()).toBe('2026-08-10T13:30:00.000Z');
    expect(new Date(nextClose).toISOString()).toBe('2026-08-10T20:00:00.000Z');
    expect(tradingDays('2026-08-01', '2026-08-09').map((d) => d.date)).toHaveLength(5);
  });

  it('ends each phase at the next phase change, overnight included', () => {
    const until = (iso: string) => new Date(phaseUntil(Date.parse(iso))).toISOString();
    expect(until('2026-08-03T23:00:00Z')).toBe('2026-08-04T00:00:00.000Z'); // post → overnight 20:00
    expect(until('2026-08-04T01:00:00Z')).toBe('2026-08-04T08:00:00.000Z'); // overnight → pre 04:00
    expect(until('2026-08-08T15:00:00Z')).toBe('2026-08-10T00:00:00.000Z'); // Saturday → Sunday 20:00
    expect(until('2026-08-07T23:00:00Z')).toBe('2026-08-08T00:00:00.000Z'); // Friday post → closed
    expect(until('2026-11-27T21:00:00Z')).toBe('2026-11-27T22:00:00.000Z'); // early close post → 17:00
  });
});
