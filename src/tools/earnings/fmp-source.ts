/**
 * Financial Modeling Prep earnings calendar (`/stable/earnings-calendar`), the primary source.
 * One request covers the whole window for every company; rows for the wanted symbols are
 * validated strictly, the rest of the market is ignored (a malformed row about a company we do
 * not follow must not fail the run).
 */
import { z } from 'zod';
import { type Decimal, dec, str } from '../../core/decimal.js';
import type { EarningsEvent, EarningsTime } from './earnings-types.js';
import { type HttpDeps, requestJson } from './http-json.js';
import { ToolError } from './tool-errors.js';

export const FMP_BASE_URL = 'https://financialmodelingprep.com';

const ISO_DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const optionalNumber = z.union([z.number(), z.string(), z.null()]).optional();

const FmpRow = z.object({
  symbol: z.string().min(1),
  date: ISO_DATE,
  epsEstimated: optionalNumber,
  revenueEstimated: optionalNumber,
  /** Only the legacy v3 endpoint sends it ("bmo", "amc", "--"). */
  time: z.string().optional(),
});

export interface WindowQuery {
  from: string;
  to: string;
  symbols: readonly string[];
}

export function toDecimalString(value: unknown, field: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  const parsed: Decimal = dec(value, field);
  return str(parsed);
}

export function toEarningsTime(value: string | undefined): EarningsTime {
  const v = (value ?? '').toLowerCase();
  return v === 'bmo' || v === 'amc' || v === 'dmh' ? v : 'unknown';
}

/** Fetches the window and returns the events of the wanted symbols. */
export async function fetchFmpEarnings(
  query: WindowQuery,
  apiKey: string,
  deps: HttpDeps,
  baseUrl = FMP_BASE_URL,
): Promise<EarningsEvent[]> {
  const url = `${baseUrl}/stable/earnings-calendar?from=${query.from}&to=${query.to}&apikey=${encodeURIComponent(apiKey)}`;
  const body = await requestJson({ source: 'FMP', url }, deps);
  if (!Array.isArray(body)) {
    const message = typeof body === 'object' && body !== null ? JSON.stringify(body).slice(0, 200) : 'empty';
    throw new ToolError(`FMP: expected a list of earnings, got ${message}`);
  }
  const wanted = new Set(query.symbols);
  const events: EarningsEvent[] = [];
  for (const raw of body) {
    const symbol = (raw as { symbol?: unknown })?.symbol;
    if (typeof symbol !== 'string' || !wanted.has(symbol)) continue;
    const row = FmpRow.safeParse(raw);
    if (!row.success) throw new ToolError(`FMP: malformed row for ${symbol}: ${z.prettifyError(row.error)}`);
    events.push({
      symbol,
      date: row.data.date,
      time: toEarningsTime(row.data.time),
      epsEstimate: toDecimalString(row.data.epsEstimated, `FMP ${symbol} epsEstimated`),
      revenueEstimate: toDecimalString(row.data.revenueEstimated, `FMP ${symbol} revenueEstimated`),
      source: 'fmp',
    });
  }
  return events;
}
