/**
 * Benzinga economic calendar (`/api/v2.1/calendar/economics`): optional macro events. Benzinga
 * reports times as US Eastern wall-clock times, which is how they are kept (America/New_York).
 */
import { z } from 'zod';
import type { MacroEvent } from './earnings-types.js';
import { type HttpDeps, requestJson } from './http-json.js';
import { ToolError } from './tool-errors.js';

export const BENZINGA_BASE_URL = 'https://api.benzinga.com';

const BenzingaRow = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  time: z
    .string()
    .regex(/^(\d{2}:\d{2}(:\d{2})?)?$/, 'expected HH:MM:SS')
    .nullable()
    .optional(),
  country: z.string().default(''),
  event_name: z.string().min(1),
  event_period: z.string().nullable().optional(),
  importance: z.union([z.number(), z.string()]).nullable().optional(),
});

const BenzingaBody = z.union([
  z.object({ economics: z.array(BenzingaRow).default([]) }),
  z.array(z.never()).transform(() => ({ economics: [] })),
]);

export interface MacroQuery {
  from: string;
  to: string;
  /** Benzinga country codes ("USA"); empty means every country. */
  countries: readonly string[];
  /** Keep events of at least this importance (1–3). */
  minImportance: number;
}

function normaliseTime(time: string | null | undefined): string | null {
  if (!time || time === '00:00:00') return null;
  return time.length === 5 ? `${time}:00` : time;
}

export async function fetchBenzingaMacro(
  query: MacroQuery,
  apiKey: string,
  deps: HttpDeps,
  baseUrl = BENZINGA_BASE_URL,
): Promise<MacroEvent[]> {
  const params = new URLSearchParams({
    'parameters[date_from]': query.from,
    'parameters[date_to]': query.to,
    pagesize: '1000',
  });
  const url = `${baseUrl}/api/v2.1/calendar/economics?${params.toString()}&token=${encodeURIComponent(apiKey)}`;
  const init = { headers: { accept: 'application/json' } };
  const parsed = BenzingaBody.safeParse(await requestJson({ source: 'Benzinga', url, init }, deps));
  if (!parsed.success) throw new ToolError(`Benzinga: unexpected response: ${z.prettifyError(parsed.error)}`);
  const countries = new Set(query.countries.map((c) => c.toUpperCase()));
  return parsed.data.economics
    .map((row) => ({
      id: row.id,
      name: row.event_name,
      country: row.country,
      date: row.date,
      time: normaliseTime(row.time),
      timeZone: 'America/New_York' as const,
      importance: row.importance === null || row.importance === undefined ? null : Number(row.importance),
      period: row.event_period ?? null,
    }))
    .filter((e) => countries.size === 0 || countries.has(e.country.toUpperCase()))
    .filter((e) => e.importance === null || e.importance >= query.minImportance);
}
