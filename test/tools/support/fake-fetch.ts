/**
 * A fake `fetch` for the tools' tests: routes requests by method and URL to canned responses and
 * records every call, so tests can assert what was sent. Unrouted requests fail the test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export type Responder = (call: Call) => Response | Promise<Response>;

export interface Route {
  method?: string;
  match: (url: string) => boolean;
  respond: Responder;
}

export interface FakeFetch {
  fetchFn: typeof fetch;
  calls: Call[];
}

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

export function fixture(...parts: string[]): string {
  return readFileSync(join(FIXTURES, ...parts), 'utf8');
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Response(text, { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function text(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers });
}

function headersOf(init?: RequestInit): Record<string, string> {
  return Object.fromEntries(new Headers(init?.headers).entries());
}

export function fakeFetch(routes: Route[]): FakeFetch {
  const calls: Call[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = init?.body === undefined || init.body === null ? null : String(init.body);
    const call: Call = { method, url, headers: headersOf(init), body };
    calls.push(call);
    const route = routes.find((r) => (r.method ?? 'GET') === method && r.match(url));
    if (!route) throw new Error(`fake fetch: no route for ${method} ${url}`);
    return route.respond(call);
  }) as typeof fetch;
  return { fetchFn, calls };
}
