/**
 * Symbols from Centaur's own control plane: `GET <api>/state/positions`, which answers
 * `{ positions: [{ symbol, ... }] }`. A thin read through the injected fetch; the bearer token
 * (API_TOKEN) is sent when configured and never shown.
 */
import { z } from 'zod';
import { type HttpDeps, requestJson } from './http-json.js';
import { ToolError } from './tool-errors.js';

const PositionsBody = z.object({
  positions: z.array(z.looseObject({ symbol: z.string().min(1) })),
});

/** Accepts the API base (`http://127.0.0.1:8000`) or the full `/state/positions` URL. */
export function positionsUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith('/state/positions') ? trimmed : `${trimmed}/state/positions`;
}

export async function fetchPositionSymbols(
  base: string,
  apiToken: string | null,
  deps: HttpDeps,
): Promise<string[]> {
  const init: RequestInit = apiToken ? { headers: { authorization: `Bearer ${apiToken}` } } : {};
  const secrets = [...deps.secrets, apiToken ?? undefined];
  const raw = await requestJson(
    { source: 'Centaur API', url: positionsUrl(base), init },
    { ...deps, secrets },
  );
  const parsed = PositionsBody.safeParse(raw);
  if (!parsed.success) {
    throw new ToolError(`Centaur API: ${positionsUrl(base)} did not return { positions: [{ symbol }] }`);
  }
  return [...new Set(parsed.data.positions.map((p) => p.symbol.toUpperCase()))];
}
