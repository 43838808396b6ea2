/**
 * The one HTTP helper of the earnings tool: a JSON request through an injected `fetch`, with
 * typed errors for network failures, rate limits (429 with Retry-After) and other statuses.
 * Every URL and provider message it puts in an error is redacted first.
 */
import { redactSecrets, redactUrl } from './redact.js';
import { HttpStatusError, RateLimitError, ToolError } from './tool-errors.js';

export interface HttpDeps {
  fetchFn: typeof fetch;
  now: () => Date;
  /** Secrets to scrub from any message (API keys, tokens). */
  secrets: readonly (string | undefined)[];
}

export interface JsonRequest {
  /** Provider name shown in errors ("FMP", "Finnhub"). */
  source: string;
  url: string;
  init?: RequestInit;
}

/** Parses a Retry-After header (delta seconds or an HTTP date) into an instant. */
export function parseRetryAfter(header: string | null, now: Date): Date | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return new Date(now.getTime() + Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : new Date(at);
}

async function readDetail(response: Response, secrets: HttpDeps['secrets']): Promise<string> {
  const body = await response.text().catch(() => '');
  const oneLine = body.replace(/\s+/g, ' ').trim().slice(0, 200);
  return redactSecrets(oneLine || response.statusText, secrets);
}

/** Sends the request and returns the parsed JSON body, or throws a typed, redacted error. */
export async function requestJson(request: JsonRequest, deps: HttpDeps): Promise<unknown> {
  const shownUrl = redactUrl(request.url);
  let response: Response;
  try {
    response = await deps.fetchFn(request.url, request.init);
  } catch (error) {
    const reason = redactSecrets(error instanceof Error ? error.message : String(error), deps.secrets);
    throw new ToolError(`${request.source}: request to ${shownUrl} failed: ${reason}`);
  }
  if (response.status === 429) {
    throw new RateLimitError(
      request.source,
      shownUrl,
      parseRetryAfter(response.headers.get('retry-after'), deps.now()),
    );
  }
  if (!response.ok) {
    throw new HttpStatusError(
      request.source,
      response.status,
      shownUrl,
      await readDetail(response, deps.secrets),
    );
  }
  const text = await response.text();
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    throw new ToolError(`${request.source}: response from ${shownUrl} is not valid JSON`);
  }
}
