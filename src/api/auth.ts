/**
 * Bearer-token authentication: with API_TOKEN configured, every route but `/health` needs
 * `Authorization: Bearer <token>`. The comparison is constant-time (both sides hashed to equal
 * length first), so response timing does not leak the token. No CORS headers are ever added:
 * browsers on other origins are refused by default.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Secret } from '../config/secret.js';
import { ApiError } from './errors.js';
import { isUiPath } from './static-ui.js';

const OPEN_ROUTES = new Set(['/health']);

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** True when the header carries exactly the expected bearer token. */
export function bearerMatches(header: string | undefined, token: Secret): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const given = match?.[1] ?? '';
  const equal = timingSafeEqual(digest(given), digest(token.reveal()));
  return equal && given.length > 0;
}

function isOpen(request: FastifyRequest): boolean {
  // The UI's static files hold no secrets; the page must load to ask for the token.
  return OPEN_ROUTES.has(request.url.split('?')[0] ?? '') || isUiPath(request.method, request.url);
}

export function installAuth(app: FastifyInstance, token: Secret | null): void {
  if (token === null) return;
  app.addHook('onRequest', async (request) => {
    if (isOpen(request)) return;
    if (!bearerMatches(request.headers.authorization, token)) throw new ApiError('unauthorized');
  });
}
