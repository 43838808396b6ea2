import { describe, expect, it } from 'vitest';
import type { CalendarEntry } from './earnings-types.js';
import { applySync, listOwnEvents, planSync } from './google-calendar-sync.js';

const entry = (key: string, date: string, summary = key): CalendarEntry => ({
  key,
  summary,
  description: 'd',
  start: { date },
  end: { date },
});
const ours = (id: string, key: string, date: string, summary = key) => ({
  id,
  summary,
  description: 'd',
  start: { date },
  end: { date },
  extendedProperties: { private: { centaur: 'earnings', centaurKey: key } },
});
const target = { calendarId: 'primary', accessToken: 'tok', timeMin: 'a', timeMax: 'b' };

describe('Google Calendar sync plan', () => {
  it('creates the missing, updates the changed, deletes the unwanted and duplicates, ignores others', () => {
    const plan = planSync(
      [entry('a', '2025-11-03'), entry('b', '2025-11-04', 'new text'), entry('c', '2025-11-05')],
      [
        ours('1', 'a', '2025-11-03'),
        ours('2', 'b', '2025-11-04', 'old text'),
        ours('3', 'gone', '2025-11-06'),
        ours('4', 'a', '2025-11-03'),
        { id: '5', summary: 'Dentist', start: { date: '2025-11-05' }, end: { date: '2025-11-05' } },
      ],
    );
    expect(plan.create.map((e) => e.key)).toEqual(['c']);
    expect(plan.update.map((u) => u.id)).toEqual(['2']);
    expect(plan.remove.map((r) => r.id).sort()).toEqual(['3', '4']);
    expect(plan.unchanged).toBe(1);
  });

  it('compares timed events by wall-clock time and zone', () => {
    const timed: CalendarEntry = {
      key: 'm',
      summary: 'm',
      description: 'd',
      start: { dateTime: '2025-11-07T08:30:00', timeZone: 'America/New_York' },
      end: { dateTime: '2025-11-07T09:00:00', timeZone: 'America/New_York' },
    };
    const existing = {
      ...ours('9', 'm', ''),
      start: { dateTime: '2025-11-07T08:30:00-05:00', timeZone: 'America/New_York' },
      end: { dateTime: '2025-11-07T09:00:00-05:00', timeZone: 'America/New_York' },
    };
    expect(planSync([timed], [existing]).unchanged).toBe(1);
  });

  it('treats an event already gone (410) as deleted, but fails on other errors', async () => {
    const deps = (status: number) => ({
      fetchFn: (async () => new Response('gone', { status })) as typeof fetch,
      now: () => new Date(),
      secrets: [],
    });
    const plan = { create: [], update: [], remove: [{ id: 'x', key: 'k' }], unchanged: 0 };
    await expect(applySync(plan, target, deps(410))).resolves.toBeUndefined();
    await expect(applySync(plan, target, deps(403))).rejects.toThrow(/HTTP 403/);
    await expect(
      listOwnEvents(target, {
        ...deps(200),
        fetchFn: (async () => new Response('{"items":5}')) as typeof fetch,
      }),
    ).rejects.toThrow(/unexpected events.list response/);
  });
});
