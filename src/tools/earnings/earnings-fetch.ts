/**
 * Gathers the events for one run: FMP first, Finnhub for the symbols FMP missed (or for all of
 * them when FMP fails and Finnhub is configured), Benzinga macro events when enabled. Progress
 * and fallbacks are reported through `progress` (stderr in the CLI).
 */
import { fetchBenzingaMacro } from './benzinga-source.js';
import type { EarningsConfig } from './earnings-config.js';
import type { EarningsEvent, MacroEvent } from './earnings-types.js';
import { fetchFinnhubEarnings } from './finnhub-source.js';
import { fetchFmpEarnings, type WindowQuery } from './fmp-source.js';
import type { HttpDeps } from './http-json.js';

export interface FetchDeps extends HttpDeps {
  progress: (line: string) => void;
}

async function fromFmp(
  query: WindowQuery,
  config: EarningsConfig,
  deps: FetchDeps,
): Promise<EarningsEvent[] | null> {
  if (config.keys.fmp === null) return null;
  deps.progress(`FMP: fetching earnings ${query.from}..${query.to} for ${query.symbols.length} symbol(s)`);
  try {
    const events = await fetchFmpEarnings(query, config.keys.fmp, deps);
    deps.progress(`FMP: ${events.length} event(s)`);
    return events;
  } catch (error) {
    if (config.keys.finnhub === null) throw error;
    deps.progress(`FMP failed, falling back to Finnhub: ${(error as Error).message}`);
    return null;
  }
}

/** Earnings for every symbol: FMP, then Finnhub for the rest. */
export async function gatherEarnings(
  query: WindowQuery,
  config: EarningsConfig,
  deps: FetchDeps,
): Promise<EarningsEvent[]> {
  const primary = await fromFmp(query, config, deps);
  const covered = new Set((primary ?? []).map((e) => e.symbol));
  const missing = query.symbols.filter((s) => !covered.has(s));
  if (missing.length === 0) return primary ?? [];
  if (config.keys.finnhub === null) {
    deps.progress(`no earnings found for ${missing.join(', ')} (set FINNHUB_API_KEY to also ask Finnhub)`);
    return primary ?? [];
  }
  deps.progress(`Finnhub: fetching ${missing.length} symbol(s) FMP did not cover`);
  let done = 0;
  const fallback = await fetchFinnhubEarnings(
    { ...query, symbols: missing },
    config.keys.finnhub,
    deps,
    (symbol) => {
      done += 1;
      deps.progress(`Finnhub: ${symbol} (${done}/${missing.length})`);
    },
  );
  return [...(primary ?? []), ...fallback];
}

export async function gatherMacro(
  query: WindowQuery,
  config: EarningsConfig,
  deps: FetchDeps,
): Promise<MacroEvent[]> {
  if (!config.macro.enabled || config.keys.benzinga === null) return [];
  deps.progress(`Benzinga: fetching macro events ${query.from}..${query.to}`);
  const events = await fetchBenzingaMacro(
    {
      from: query.from,
      to: query.to,
      countries: config.macro.countries,
      minImportance: config.macro.minImportance,
    },
    config.keys.benzinga,
    deps,
  );
  deps.progress(`Benzinga: ${events.length} event(s)`);
  return events;
}
