import { describe, expect, it } from 'vitest';
import { parseRetryAfter, requestJson } from './http-json.js';
import { redactSecrets, redactUrl } from './redact.js';
import { HttpStatusError, RateLimitError, ToolError } from './tool-errors.js';

const KEY = 'sk_live_SECRET123';
const NOW = new Date('2025-11-03T14:00:00Z');
const url = `https://financialmodelingprep.com/stable/earnings-calendar?from=2025-11-03&apikey=${KEY}`;

function deps(respond: () => Response | Promise<Response>) {
  return { fetchFn: (async () => respond()) as typeof fetch, now: () => NOW, secrets: [KEY] };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('redaction', () => {
  it('redacts apikey, token and key query parameters', () => {
    expect(redactUrl(`https://x.test/a?apikey=${KEY}&from=1`)).toBe('https://x.test/a?apikey=***&from=1');
    expect(redactUrl(`https://x.test/a?symbol=A&token=${KEY}`)).toBe('https://x.test/a?symbol=A&token=***');
    expect(redactSecrets(`bad key ${KEY} given`, [KEY, undefined, ''])).toBe('bad key *** given');
  });
});

describe('requestJson', () => {
  it('returns parsed JSON on success', async () => {
    await expect(
      requestJson(
        { source: 'FMP', url },
        deps(() => new Response('[1]')),
      ),
    ).resolves.toEqual([1]);
  });

  it('reports a 429 with the time to retry from Retry-After seconds', async () => {
    const error = await failure(
      requestJson(
        { source: 'FMP', url },
        deps(() => new Response('', { status: 429, headers: { 'retry-after': '60' } })),
      ),
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toContain('retry after 2025-11-03T14:01:00.000Z');
    expect(error.message).toContain('apikey=***');
    expect(error.message).not.toContain(KEY);
    expect((error as RateLimitError).exitCode).toBe(1);
  });

  it('parses Retry-After as an HTTP date and tolerates its absence', () => {
    expect(parseRetryAfter('Mon, 03 Nov 2025 14:05:00 GMT', NOW)?.toISOString()).toBe(
      '2025-11-03T14:05:00.000Z',
    );
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
  });

  it('reports other statuses with the status, the redacted URL and a redacted provider message', async () => {
    const body = JSON.stringify({ 'Error Message': `Invalid API KEY ${KEY}` });
    const error = await failure(
      requestJson(
        { source: 'FMP', url },
        deps(() => new Response(body, { status: 401 })),
      ),
    );
    expect(error).toBeInstanceOf(HttpStatusError);
    expect((error as HttpStatusError).status).toBe(401);
    expect(error.message).toMatch(
      /^FMP: HTTP 401 from https:\/\/financialmodelingprep\.com\/.*apikey=\*\*\*/,
    );
    expect(error.message).toContain('Invalid API KEY ***');
    expect(error.message).not.toContain(KEY);
  });

  it('redacts the key from network errors', async () => {
    const error = await failure(
      requestJson(
        { source: 'FMP', url },
        deps(() => {
          throw new TypeError(`fetch failed for ${url}`);
        }),
      ),
    );
    expect(error).toBeInstanceOf(ToolError);
    expect(error.message).not.toContain(KEY);
  });

  it('rejects a body that is not JSON', async () => {
    const error = await failure(
      requestJson(
        { source: 'FMP', url },
        deps(() => new Response('<html>')),
      ),
    );
    expect(error.message).toContain('not valid JSON');
    expect(error.message).not.toContain(KEY);
  });
});
