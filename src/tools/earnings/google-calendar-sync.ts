/**
 * Incremental Google Calendar sync through the REST API (v3) and the injected fetch. It lists
 * only its own events in the window (private extended property `centaur=earnings`), diffs them
 * against the desired entries by their stable key, and creates, patches or deletes just what
 * differs. Events it did not create are never touched; events outside the window are kept.
 */
import { z } from 'zod';
import type { CalendarEntry } from './earnings-types.js';
import { type HttpDeps, requestJson } from './http-json.js';
import { HttpStatusError, ToolError } from './tool-errors.js';

export const GOOGLE_CALENDAR_BASE = 'https://www.googleapis.com/calendar/v3';
export const OWNER_TAG = 'earnings';

const EventTime = z.object({
  date: z.string().optional(),
  dateTime: z.string().optional(),
  timeZone: z.string().optional(),
});
const GoogleEvent = z.object({
  id: z.string(),
  summary: z.string().optional(),
  description: z.string().optional(),
  start: EventTime.optional(),
  end: EventTime.optional(),
  extendedProperties: z.object({ private: z.record(z.string(), z.string()).optional() }).optional(),
});
type GoogleEvent = z.infer<typeof GoogleEvent>;
const EventList = z.object({ items: z.array(GoogleEvent).default([]), nextPageToken: z.string().optional() });

export interface SyncTarget {
  calendarId: string;
  accessToken: string;
  /** Window of the run, RFC 3339: only our events starting inside it are considered. */
  timeMin: string;
  timeMax: string;
  baseUrl?: string;
}

export interface SyncPlan {
  create: CalendarEntry[];
  update: { id: string; entry: CalendarEntry }[];
  remove: { id: string; key: string }[];
  unchanged: number;
}

function body(entry: CalendarEntry) {
  return {
    summary: entry.summary,
    description: entry.description,
    start: entry.start,
    end: entry.end,
    transparency: 'transparent',
    extendedProperties: { private: { centaur: OWNER_TAG, centaurKey: entry.key } },
  };
}

function sameTime(a: z.infer<typeof EventTime> | undefined, b: CalendarEntry['start']): boolean {
  if ('date' in b) return a?.date === b.date;
  // Google returns dateTime with an offset; compare the wall-clock part and the zone.
  return (a?.dateTime ?? '').slice(0, 19) === b.dateTime && a?.timeZone === b.timeZone;
}

function differs(existing: GoogleEvent, entry: CalendarEntry): boolean {
  return (
    existing.summary !== entry.summary ||
    (existing.description ?? '') !== entry.description ||
    !sameTime(existing.start, entry.start) ||
    !sameTime(existing.end, entry.end)
  );
}

/** Pure diff of the desired entries against our existing events. */
export function planSync(desired: readonly CalendarEntry[], existing: readonly GoogleEvent[]): SyncPlan {
  const plan: SyncPlan = { create: [], update: [], remove: [], unchanged: 0 };
  const byKey = new Map<string, GoogleEvent>();
  for (const event of existing) {
    const key = event.extendedProperties?.private?.centaurKey;
    if (event.extendedProperties?.private?.centaur !== OWNER_TAG || !key) continue;
    if (byKey.has(key))
      plan.remove.push({ id: event.id, key }); // a duplicate of ours
    else byKey.set(key, event);
  }
  const wanted = new Set<string>();
  for (const entry of desired) {
    wanted.add(entry.key);
    const current = byKey.get(entry.key);
    if (!current) plan.create.push(entry);
    else if (differs(current, entry)) plan.update.push({ id: current.id, entry });
    else plan.unchanged += 1;
  }
  for (const [key, event] of byKey) if (!wanted.has(key)) plan.remove.push({ id: event.id, key });
  return plan;
}

function eventsUrl(target: SyncTarget): string {
  return `${target.baseUrl ?? GOOGLE_CALENDAR_BASE}/calendars/${encodeURIComponent(target.calendarId)}/events`;
}

function authInit(target: SyncTarget, method = 'GET', payload?: unknown): RequestInit {
  const headers: Record<string, string> = { authorization: `Bearer ${target.accessToken}` };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return { method, headers, ...(payload === undefined ? {} : { body: JSON.stringify(payload) }) };
}

/** Lists our own events in the window, following pagination. */
export async function listOwnEvents(target: SyncTarget, deps: HttpDeps): Promise<GoogleEvent[]> {
  const events: GoogleEvent[] = [];
  let pageToken: string | undefined;
  do {
    const params = new URLSearchParams({
      privateExtendedProperty: `centaur=${OWNER_TAG}`,
      timeMin: target.timeMin,
      timeMax: target.timeMax,
      singleEvents: 'true',
      maxResults: '250',
    });
    if (pageToken) params.set('pageToken', pageToken);
    const raw = await requestJson(
      { source: 'Google Calendar', url: `${eventsUrl(target)}?${params}`, init: authInit(target) },
      deps,
    );
    const parsed = EventList.safeParse(raw);
    if (!parsed.success) throw new ToolError('Google Calendar: unexpected events.list response');
    const page = parsed.data;
    events.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return events;
}

/** Applies a plan: inserts, patches and deletes, one request each. */
export async function applySync(plan: SyncPlan, target: SyncTarget, deps: HttpDeps): Promise<void> {
  const source = 'Google Calendar';
  const d = { ...deps, secrets: [...deps.secrets, target.accessToken] };
  for (const entry of plan.create) {
    await requestJson({ source, url: eventsUrl(target), init: authInit(target, 'POST', body(entry)) }, d);
  }
  for (const { id, entry } of plan.update) {
    const url = `${eventsUrl(target)}/${encodeURIComponent(id)}`;
    await requestJson({ source, url, init: authInit(target, 'PATCH', body(entry)) }, d);
  }
  for (const { id } of plan.remove) {
    const url = `${eventsUrl(target)}/${encodeURIComponent(id)}`;
    // 410 Gone / 404: deleted by someone else meanwhile — the goal is reached.
    await requestJson({ source, url, init: authInit(target, 'DELETE') }, d).catch((error: unknown) => {
      if (!(error instanceof HttpStatusError && (error.status === 410 || error.status === 404))) throw error;
    });
  }
}
