/**
 * The Host and Origin allowlist, the first check of every request (before auth, on every route:
 * /health, /docs, /metrics, the UI's static files, the SSE stream and 404s included). It defeats
 * DNS rebinding: a page on a foreign name that resolves to this machine sends its own name in
 * `Host`, which is on no list, so it cannot read or change anything.
 *
 * - `Host` must name an allowed host (config/api-access.ts: loopback, a specific API_HOST,
 *   API_ALLOWED_HOSTS), else 421 `host_not_allowed`. The port is not compared: published ports
 *   and proxies change it (compose maps 8501 to 8000), and rebinding is defeated by the name.
 * - State-changing methods (POST, PUT, PATCH, DELETE) also refuse an `Origin` whose host is not
 *   allowed, `Origin: null` (sandboxed frames, file pages), and `Sec-Fetch-Site: cross-site`,
 *   with 403 `origin_not_allowed`. No Origin at all (curl, the CLI) is allowed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { configuredHosts, hostAllowed, normalizeHostname } from '../config/api-access.js';
import type { Config } from '../config/config.js';
import { ApiError } from './errors.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The host name of a Host header ("[::1]:8000" -> "::1", "Box.lan." -> "box.lan"), or null. */
export function hostOfHeader(header: string | undefined): string | null {
  const value = header?.trim() ?? '';
  if (value === '') return null;
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(value);
  if (bracketed) return normalizeHostname(bracketed[1] ?? '');
  if ((value.match(/:/g) ?? []).length > 1) return null; // an unbracketed IPv6 is not a valid Host
  const name = value.replace(/:\d*$/, '');
  return /^[^\s/@?#:]+$/.test(name) ? normalizeHostname(name) : null;
}

/** The host name of an Origin header ("https://x.lan:8443" -> "x.lan"); null when unreadable. */
export function hostOfOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return normalizeHostname(url.hostname);
  } catch {
    return null;
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Throws host_not_allowed or origin_not_allowed when the request must not be served. */
export function checkRequest(request: FastifyRequest, allowed: ReadonlySet<string>): void {
  const host = hostOfHeader(header(request, 'host'));
  if (host === null || !hostAllowed(host, allowed)) {
    throw new ApiError('host_not_allowed', { host: (header(request, 'host') ?? '').slice(0, 100) });
  }
  if (!STATE_CHANGING.has(request.method)) return;
  const origin = header(request, 'origin');
  if (origin !== undefined) {
    const originHost = hostOfOrigin(origin);
    if (originHost === null || !hostAllowed(originHost, allowed)) {
      throw new ApiError('origin_not_allowed', { origin: origin.slice(0, 200) });
    }
  }
  if (header(request, 'sec-fetch-site')?.trim().toLowerCase() === 'cross-site') {
    throw new ApiError('origin_not_allowed', { sec_fetch_site: 'cross-site' });
  }
}

/** Installs the check as an onRequest hook; call it before any other hook or route. */
export function installHostGuard(app: FastifyInstance, config: Readonly<Config>): void {
  const allowed = new Set(configuredHosts(config.api.host, config.api.allowedHosts));
  app.addHook('onRequest', async (request) => {
    checkRequest(request, allowed);
  });
}
