/**
 * The US equity session calendar in America/New_York time: trading days (NYSE holidays by rule,
 * 13:00 early closes), session phases (pre 04:00, core 09:30, post until 20:00, overnight 20:00-04:00
 * into a trading day, so Sunday night to Friday morning) and ET formatting.
 * Must preserve: all arithmetic is done on epoch milliseconds converted through the tz database,
 * so daylight-saving changes are handled; dates are `YYYY-MM-DD` strings in ET.
 */

export type SessionPhase = 'closed' | 'pre' | 'core' | 'post' | 'overnight';

export interface TradingDay {
  /** YYYY-MM-DD in ET. */
  date: string;
  /** "09:30". */
  open: string;
  /** "16:00" or "13:00" on early closes. */
  close: string;
}

const ET = 'America/New_York';
const formatter = new Intl.DateTimeFormat('en-US', {
  timeZone: ET,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export interface EtParts {
  date: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Offset of ET from UTC in minutes (-240 or -300). */
  offset: number;
}

// Intl formatting is the hot spot of order creation; the same second and the same wall-clock
// instants are asked for over and over, so both conversions are memoised.
let lastSecond = Number.NaN;
let lastParts: EtParts | null = null;
const instantCache = new Map<string, number>();

/** Splits an instant into its ET wall-clock parts. */
export function etParts(ms: number): EtParts {
  const second = Math.floor(ms / 1000);
  if (second === lastSecond && lastParts) return lastParts;
  lastParts = computeEtParts(ms);
  lastSecond = second;
  return lastParts;
}

function computeEtParts(ms: number): EtParts {
  const parts: Record<string, string> = {};
  for (const p of formatter.formatToParts(new Date(ms))) parts[p.type] = p.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  const second = Number(parts.second);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const offset = Math.round((wall - (ms - (((ms % 1000) + 1000) % 1000))) / 60000);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    year,
    month,
    day,
    hour,
    minute,
    second,
    offset,
  };
}

/** The instant of an ET wall-clock time ("2026-08-03", "09:30"). */
export function etInstant(date: string, hhmm: string): number {
  const key = `${date} ${hhmm}`;
  const cached = instantCache.get(key);
  if (cached !== undefined) return cached;
  if (instantCache.size > 5000) instantCache.clear();
  const value = computeEtInstant(date, hhmm);
  instantCache.set(key, value);
  return value;
}

function computeEtInstant(date: string, hhmm: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = hhmm.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let guess = wall + 5 * 3600_000;
  for (let i = 0; i < 2; i++) guess = wall - computeEtParts(guess).offset * 60_000;
  return guess;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** RFC 3339 with the ET offset, as /v2/clock sends it ("2026-08-03T10:07:04.451-04:00"). */
export function formatEt(ms: number): string {
  const p = etParts(ms);
  const sign = p.offset < 0 ? '-' : '+';
  const off = Math.abs(p.offset);
  const millis = pad(((ms % 1000) + 1000) % 1000, 3);
  return `${p.date}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${millis}${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`;
}

function ymd(y: number, m: number, d: number): string {
  return `${y}-${pad(m)}-${pad(d)}`;
}

function weekday(y: number, m: number, d: number): number {
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The n-th given weekday of a month (n = -1 for the last one). */
function nthWeekday(y: number, m: number, dow: number, n: number): number {
  if (n > 0) {
    const first = weekday(y, m, 1);
    return 1 + ((dow - first + 7) % 7) + (n - 1) * 7;
  }
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const last = weekday(y, m, lastDay);
  return lastDay - ((last - dow + 7) % 7);
}

/** Gregorian Easter Sunday (anonymous algorithm). */
function easter(y: number): [number, number] {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  return [month, ((h + l - 7 * m + 114) % 31) + 1];
}

/** A fixed-date holiday moved to Friday/Monday when it falls on a weekend. */
function observed(y: number, m: number, d: number): string {
  const dow = weekday(y, m, d);
  const shifted = new Date(Date.UTC(y, m - 1, d + (dow === 6 ? -1 : dow === 0 ? 1 : 0)));
  return ymd(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

const holidayCache = new Map<number, { holidays: Set<string>; early: Set<string> }>();

/** NYSE full holidays and 13:00 early closes of a year. */
export function yearRules(y: number): { holidays: Set<string>; early: Set<string> } {
  const cached = holidayCache.get(y);
  if (cached) return cached;
  const [em, ed] = easter(y);
  const goodFriday = new Date(Date.UTC(y, em - 1, ed - 2));
  const holidays = new Set<string>([
    weekday(y, 1, 1) === 6 ? '' : observed(y, 1, 1),
    ymd(y, 1, nthWeekday(y, 1, 1, 3)),
    ymd(y, 2, nthWeekday(y, 2, 1, 3)),
    ymd(y, goodFriday.getUTCMonth() + 1, goodFriday.getUTCDate()),
    ymd(y, 5, nthWeekday(y, 5, 1, -1)),
    observed(y, 6, 19),
    observed(y, 7, 4),
    ymd(y, 9, nthWeekday(y, 9, 1, 1)),
    ymd(y, 11, nthWeekday(y, 11, 4, 4)),
    observed(y, 12, 25),
  ]);
  const early = new Set<string>();
  const thanksgiving = nthWeekday(y, 11, 4, 4);
  early.add(ymd(y, 11, thanksgiving + 1));
  if (![0, 6].includes(weekday(y, 7, 3)) && !holidays.has(ymd(y, 7, 3))) early.add(ymd(y, 7, 3));
  if (![0, 6].includes(weekday(y, 12, 24))) early.add(ymd(y, 12, 24));
  const rules = { holidays, early };
  holidayCache.set(y, rules);
  return rules;
}

/** The trading day for an ET date, or null on weekends and holidays. */
export function tradingDay(date: string): TradingDay | null {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dow = weekday(y, m, d);
  const rules = yearRules(y);
  if (dow === 0 || dow === 6 || rules.holidays.has(date)) return null;
  return { date, open: '09:30', close: rules.early.has(date) ? '13:00' : '16:00' };
}

/** The ET date `days` after `date`. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return ymd(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** The first trading day on or after (step 1) / on or before (step -1) a date. */
export function seekTradingDay(date: string, step: 1 | -1): TradingDay {
  let cur = date;
  for (let i = 0; i < 30; i++) {
    const day = tradingDay(cur);
    if (day) return day;
    cur = addDays(cur, step);
  }
  throw new Error(`no trading day within 30 days of ${date}`);
}

/** Trading days from start to end inclusive (ET dates). */
export function tradingDays(start: string, end: string): TradingDay[] {
  const out: TradingDay[] = [];
  for (let cur = start; cur <= end; cur = addDays(cur, 1)) {
    const day = tradingDay(cur);
    if (day) out.push(day);
  }
  return out;
}

/**
 * Session phase at an instant; post-market ends four hours after the close (20:00 normally). The
 * overnight session runs from 20:00 ET the evening before a trading day to 04:00 on it (Sunday
 * 20:00 to Friday 04:00 in a week without holidays).
 */
export function phaseAt(ms: number): SessionPhase {
  const p = etParts(ms);
  const day = tradingDay(p.date);
  const minutes = p.hour * 60 + p.minute;
  if (minutes >= 20 * 60 && tradingDay(addDays(p.date, 1))) return 'overnight';
  if (!day) return 'closed';
  const close = Number(day.close.slice(0, 2)) * 60 + Number(day.close.slice(3));
  if (minutes < 4 * 60) return 'overnight';
  if (minutes < 9 * 60 + 30) return 'pre';
  if (minutes < close) return 'core';
  if (minutes < close + 4 * 60) return 'post';
  return 'closed';
}

/** Next core open strictly after `ms` and next core close at or after `ms`. */
export function nextOpenClose(ms: number): { nextOpen: number; nextClose: number } {
  const today = etParts(ms).date;
  let nextOpen = 0;
  let nextClose = 0;
  for (let cur = today; nextOpen === 0 || nextClose === 0; cur = addDays(cur, 1)) {
    const day = tradingDay(cur);
    if (!day) continue;
    const open = etInstant(day.date, day.open);
    const close = etInstant(day.date, day.close);
    if (nextOpen === 0 && open > ms) nextOpen = open;
    if (nextClose === 0 && close > ms) nextClose = close;
  }
  return { nextOpen, nextClose };
}

/**
 * When the session phase at `ms` ends: the next phase change among 20:00 the evening before a
 * trading day (overnight starts), 04:00, 09:30, the close and close + 4h; a boundary where the
 * phase does not change (post ending at 20:00 into overnight is a change) is skipped.
 */
export function phaseUntil(ms: number): number {
  const phase = phaseAt(ms);
  for (let cur = etParts(ms).date, i = 0; i < 15; cur = addDays(cur, 1), i++) {
    const day = tradingDay(cur);
    if (!day) continue;
    const close = etInstant(day.date, day.close);
    const bounds = [
      etInstant(addDays(day.date, -1), '20:00'),
      etInstant(day.date, '04:00'),
      etInstant(day.date, day.open),
      close,
      close + 4 * 3600_000,
    ];
    const next = bounds.find((b) => b > ms && phaseAt(b) !== phase);
    if (next !== undefined) return next;
  }
  throw new Error('no trading day within 15 days');
}
