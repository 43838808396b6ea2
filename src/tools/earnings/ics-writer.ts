/**
 * A small RFC 5545 serializer for the calendar entries: CRLF line endings, lines folded at 75
 * octets (never inside a UTF-8 sequence), TEXT escaping, DTSTAMP in UTC, all-day events as
 * VALUE=DATE, and timed events in America/New_York with its VTIMEZONE. UIDs are
 * `<key>@centaur`, so re-importing the file updates events instead of duplicating them.
 */
import type { CalendarEntry } from './earnings-types.js';

const CRLF = '\r\n';
const MAX_OCTETS = 75;

export const NEW_YORK_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:America/New_York',
  'X-LIC-LOCATION:America/New_York',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:-0500',
  'TZOFFSETTO:-0400',
  'TZNAME:EDT',
  'DTSTART:19700308T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:-0400',
  'TZOFFSETTO:-0500',
  'TZNAME:EST',
  'DTSTART:19701101T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/** Escapes a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line into chunks of at most 75 octets; continuation lines start with a space. */
export function foldLine(line: string): string {
  const chunks: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    const limit = chunks.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      chunks.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  chunks.push(current);
  return chunks.join(`${CRLF} `);
}

/** 2025-11-05 -> 20251105 */
function basicDate(date: string): string {
  return date.replace(/-/g, '');
}

/** 2025-11-07T08:30:00 -> 20251107T083000 */
function basicDateTime(dateTime: string): string {
  return dateTime.replace(/[-:]/g, '');
}

export function utcStamp(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

function timeProperty(name: 'DTSTART' | 'DTEND', value: CalendarEntry['start']): string {
  if ('date' in value) return `${name};VALUE=DATE:${basicDate(value.date)}`;
  return `${name};TZID=${value.timeZone}:${basicDateTime(value.dateTime)}`;
}

function eventLines(entry: CalendarEntry, stamp: string): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${entry.key}@centaur`,
    `DTSTAMP:${stamp}`,
    timeProperty('DTSTART', entry.start),
    timeProperty('DTEND', entry.end),
    `SUMMARY:${escapeText(entry.summary)}`,
    `DESCRIPTION:${escapeText(entry.description)}`,
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  ];
}

/** Serializes the entries as one VCALENDAR; `now` sets DTSTAMP. */
export function toIcs(entries: readonly CalendarEntry[], now: Date): string {
  const stamp = utcStamp(now);
  const timed = entries.some((e) => 'dateTime' in e.start);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Centaur//earnings-calendar//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'X-WR-CALNAME:Centaur earnings',
    ...(timed ? NEW_YORK_VTIMEZONE : []),
    ...entries.flatMap((entry) => eventLines(entry, stamp)),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
