/**
 * Turns earnings and macro events into calendar entries with stable keys:
 * `earnings-<SYMBOL>-<YYYY-MM-DD>` and `macro-<provider id>`. The key becomes the ICS UID and the
 * Google event's private `centaurKey`, which is what makes both outputs idempotent.
 */
import type { CalendarEntry, EarningsEvent, EarningsTime, MacroEvent } from './earnings-types.js';

const TIME_LABEL: Record<EarningsTime, string> = {
  bmo: 'before market open',
  amc: 'after market close',
  dmh: 'during market hours',
  unknown: 'time not announced',
};

/** The day after a YYYY-MM-DD date (exclusive end of an all-day event). */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function earningsEntry(event: EarningsEvent): CalendarEntry {
  const details = [
    `${event.symbol} reports earnings ${TIME_LABEL[event.time]}.`,
    event.epsEstimate === null ? null : `EPS estimate: ${event.epsEstimate}`,
    event.revenueEstimate === null ? null : `Revenue estimate: ${event.revenueEstimate}`,
    `Source: ${event.source === 'fmp' ? 'Financial Modeling Prep' : 'Finnhub'}`,
  ].filter((line): line is string => line !== null);
  return {
    key: `earnings-${event.symbol}-${event.date}`,
    summary: `${event.symbol} earnings${event.time === 'unknown' ? '' : ` (${event.time.toUpperCase()})`}`,
    description: details.join('\n'),
    start: { date: event.date },
    end: { date: nextDay(event.date) },
  };
}

function addMinutes(time: string, minutes: number): { dayOffset: number; time: string } {
  const [h, m, s] = time.split(':').map(Number) as [number, number, number];
  const total = h * 60 + m + minutes;
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    dayOffset: Math.floor(total / 1440),
    time: `${pad(Math.floor((total % 1440) / 60))}:${pad(total % 60)}:${pad(s)}`,
  };
}

export function macroEntry(event: MacroEvent): CalendarEntry {
  const key = `macro-${event.id.replace(/[^A-Za-z0-9_-]/g, '')}`;
  const summary = `${event.country ? `${event.country}: ` : ''}${event.name}${event.period ? ` (${event.period})` : ''}`;
  const description = `Macro event${event.importance === null ? '' : `, importance ${event.importance}/3`}. Source: Benzinga`;
  if (event.time === null) {
    return { key, summary, description, start: { date: event.date }, end: { date: nextDay(event.date) } };
  }
  const end = addMinutes(event.time, 30);
  const endDate = end.dayOffset > 0 ? nextDay(event.date) : event.date;
  return {
    key,
    summary,
    description,
    start: { dateTime: `${event.date}T${event.time}`, timeZone: event.timeZone },
    end: { dateTime: `${endDate}T${end.time}`, timeZone: event.timeZone },
  };
}

/** All entries, earnings first, each group ordered by date then key. */
export function buildEntries(
  earnings: readonly EarningsEvent[],
  macro: readonly MacroEvent[],
): CalendarEntry[] {
  const startOf = (e: CalendarEntry) => ('date' in e.start ? e.start.date : e.start.dateTime);
  const byDate = (a: CalendarEntry, b: CalendarEntry) =>
    startOf(a).localeCompare(startOf(b)) || a.key.localeCompare(b.key);
  return [...earnings.map(earningsEntry).sort(byDate), ...macro.map(macroEntry).sort(byDate)];
}
