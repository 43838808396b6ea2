/**
 * Downloads one fund's holdings CSV through the injected fetch. ARK's asset server rejects
 * requests without a browser-like User-Agent, so one is sent. Errors give the status, the URL
 * (query parameters redacted, in case a mirror needs a key) and when to retry after a 429.
 */
import { ArkError } from './ark-errors.js';

export const USER_AGENT = 'Mozilla/5.0 (compatible; centaur-ark-holdings/1.0)';

export function redactQuery(url: string): string {
  return url.replace(/([?&][^=&#]+=)[^&#]*/g, '$1***');
}

function retryHint(header: string | null, now: Date): string {
  if (header && /^\d+$/.test(header.trim())) {
    return `retry after ${new Date(now.getTime() + Number(header.trim()) * 1000).toISOString()}`;
  }
  if (header && !Number.isNaN(Date.parse(header)))
    return `retry after ${new Date(Date.parse(header)).toISOString()}`;
  return 'retry in a few minutes';
}

export async function fetchHoldingsCsv(
  fund: string,
  url: string,
  fetchFn: typeof fetch,
  now: () => Date,
): Promise<string> {
  const shown = redactQuery(url);
  let response: Response;
  try {
    response = await fetchFn(url, { headers: { 'user-agent': USER_AGENT, accept: 'text/csv,*/*' } });
  } catch (error) {
    throw new ArkError(`${fund}: request to ${shown} failed: ${redactQuery((error as Error).message)}`);
  }
  if (response.status === 429) {
    throw new ArkError(
      `${fund}: HTTP 429 from ${shown} — rate limited; ${retryHint(response.headers.get('retry-after'), now())}`,
    );
  }
  if (!response.ok) {
    throw new ArkError(
      `${fund}: HTTP ${response.status} from ${shown}${response.statusText ? ` (${response.statusText})` : ''}`,
    );
  }
  return response.text();
}
