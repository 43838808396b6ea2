/**
 * Finnhub earnings calendar (`/api/v1/calendar/earnings`), the fallback for symbols FMP does not
 * cover. One request per missing symbol (the free tier allows 60 a minute).
 */
import { z } from 'zod';
import type { EarningsEvent } from './earnings-types.js';
import { toDecimalString, toEarningsTime, type WindowQuery } from './fmp-source.js';
import { type HttpDeps, requestJson } from './http-json.js';
import { ToolError } from './tool-errors.js';

export const FINNHUB_BASE_URL = 'https://finnhub.io';

const optionalNumber = z.union([z.number(), z.string(), z.null()]).optional();

const FinnhubBody = z.object({
  earningsCalendar: z.array(
    z.object({
      symbol: z.string().min(1),
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
      hour: z.string().nullable().optional(),
      epsEstimate: optionalNumber,
      revenueEstimate: optionalNumber,
    }),
  ),
});

/** Fetches each symbol in turn; `onProgress` reports after every request. */
export async function fetchFinnhubEarnings(
  query: WindowQuery,
  apiKey: string,
  deps: HttpDeps,
  onProgress: (symbol: string) => void = () => {},
  baseUrl = FINNHUB_BASE_URL,
): Promise<EarningsEvent[]> {
  const events: EarningsEvent[] = [];
  for (const symbol of query.symbols) {
    const url = `${baseUrl}/api/v1/calendar/earnings?from=${query.from}&to=${query.to}&symbol=${encodeURIComponent(symbol)}&token=${encodeURIComponent(apiKey)}`;
    const parsed = FinnhubBody.safeParse(await requestJson({ source: 'Finnhub', url }, deps));
    if (!parsed.success) {
      throw new ToolError(`Finnhub: unexpected response for ${symbol}: ${z.prettifyError(parsed.error)}`);
    }
    for (const row of parsed.data.earningsCalendar) {
      if (row.symbol !== symbol) continue;
      events.push({
        symbol,
        date: row.date,
        time: toEarningsTime(row.hour ?? undefined),
        epsEstimate: toDecimalString(row.epsEstimate, `Finnhub ${symbol} epsEstimate`),
        revenueEstimate: toDecimalString(row.revenueEstimate, `Finnhub ${symbol} revenueEstimate`),
        source: 'finnhub',
      });
    }
    onProgress(symbol);
  }
  return events;
}
