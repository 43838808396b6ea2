import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEntries, earningsEntry, macroEntry } from './calendar-entries.js';
import type { EarningsEvent, MacroEvent } from './earnings-types.js';
import { escapeText, foldLine, toIcs } from './ics-writer.js';

const NOW = new Date('2025-11-03T14:00:05.123Z');
const aapl: EarningsEvent = {
  symbol: 'AAPL',
  date: '2025-12-31',
  time: 'amc',
  epsEstimate: '1.77',
  revenueEstimate: '102227074560',
  source: 'fmp',
};
const nfp: MacroEvent = {
  id: '6903a1f5',
  name: 'Nonfarm Payrolls',
  country: 'USA',
  date: '2025-11-07',
  time: '08:30:00',
  timeZone: 'America/New_York',
  importance: 3,
  period: 'Oct',
};

function unfold(ics: string): string[] {
  return ics.replace(/\r\n /g, '').split('\r\n');
}

describe('ICS writer', () => {
  it('escapes backslash, semicolon, comma and newline in TEXT values', () => {
    expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
  });

  it('folds long lines at 75 octets without splitting a multi-byte character', () => {
    const line = `SUMMARY:${'é'.repeat(60)}`;
    const folded = foldLine(line);
    for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(folded).not.toContain('\uFFFD');
  });

  it('folding is lossless and bounded for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (s) => {
        const folded = foldLine(`DESCRIPTION:${s}`);
        expect(folded.replace(/\r\n /g, '')).toBe(`DESCRIPTION:${s}`);
        for (const part of folded.split('\r\n'))
          expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
      }),
    );
  });

  it('writes all-day earnings with a stable UID, DTSTAMP in UTC and an exclusive end date', () => {
    const ics = toIcs([earningsEntry(aapl)], NOW);
    const lines = unfold(ics);
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toContain('\n');
    expect(lines).toContain('UID:earnings-AAPL-2025-12-31@centaur');
    expect(lines).toContain('DTSTAMP:20251103T140005Z');
    expect(lines).toContain('DTSTART;VALUE=DATE:20251231');
    expect(lines).toContain('DTEND;VALUE=DATE:20260101');
    expect(lines).toContain('SUMMARY:AAPL earnings (AMC)');
    expect(
      lines.some((l) =>
        l.startsWith('DESCRIPTION:AAPL reports earnings after market close.\\nEPS estimate: 1.77'),
      ),
    ).toBe(true);
    expect(ics).not.toContain('VTIMEZONE');
  });

  it('writes timed macro events in America/New_York and includes the VTIMEZONE once', () => {
    const ics = toIcs(buildEntries([aapl], [nfp]), NOW);
    const lines = unfold(ics);
    expect(lines.filter((l) => l === 'BEGIN:VTIMEZONE')).toHaveLength(1);
    expect(lines).toContain('TZID:America/New_York');
    expect(lines).toContain('RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU');
    expect(lines).toContain('DTSTART;TZID=America/New_York:20251107T083000');
    expect(lines).toContain('DTEND;TZID=America/New_York:20251107T090000');
    expect(lines).toContain('UID:macro-6903a1f5@centaur');
    expect(lines).toContain('SUMMARY:USA: Nonfarm Payrolls (Oct)');
    expect(lines.indexOf('BEGIN:VTIMEZONE')).toBeLessThan(lines.indexOf('BEGIN:VEVENT'));
  });

  it('produces the same UIDs on every run, so re-importing updates instead of duplicating', () => {
    const uids = (ics: string) => unfold(ics).filter((l) => l.startsWith('UID:'));
    const first = toIcs(buildEntries([aapl], [nfp]), NOW);
    const second = toIcs(
      buildEntries([{ ...aapl, epsEstimate: '1.80' }], [nfp]),
      new Date('2025-11-04T00:00:00Z'),
    );
    expect(uids(second)).toEqual(uids(first));
  });

  it('keeps a macro event that starts late in the evening ending on the next day', () => {
    const entry = macroEntry({ ...nfp, time: '23:45:00' });
    expect(entry.end).toEqual({ dateTime: '2025-11-08T00:15:00', timeZone: 'America/New_York' });
    expect(macroEntry({ ...nfp, time: null }).start).toEqual({ date: '2025-11-07' });
  });
});
