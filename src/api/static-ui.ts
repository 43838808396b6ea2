/**
 * Serves the built web UI (ui/dist, from `npm run build:ui`) at `/`. Every file gets its own
 * route (no wildcard), so the API's routes keep priority and unknown paths still answer the
 * JSON `route_not_found`. UI responses carry a Content-Security-Policy that lets the page talk
 * to this origin only, so it cannot reach the broker (or anything else) even by mistake.
 * The UI's files hold no secrets: they are served without the bearer token so the page can load
 * and ask for it (`isUiPath`, used by auth.ts); every data route stays protected.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const UI_HEADERS: Record<string, string> = {
  'content-security-policy': UI_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** The first ui/dist with an index.html: from the working directory, then beside the sources. */
export function resolveUiDir(): string | null {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [
    resolve(process.cwd(), 'ui/dist'),
    resolve(here, '../../ui/dist'),
    resolve(here, '../../../ui/dist'),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/** True for the paths the UI's files live at (the page and its hashed assets). */
export function isUiPath(method: string, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const path = url.split('?')[0] ?? '';
  return path === '/' || path === '/index.html' || (path.startsWith('/assets/') && !path.includes('..'));
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Centaur</title>
<body style="font-family:system-ui;background:#0b1220;color:#e2e8f0;padding:40px">
<h1>Centaur API</h1><p>The web UI is not built. Run <code>npm run build:ui</code> (or <code>npm start</code>, which builds it) and reload.</p>
<p>The API itself is running: see <a style="color:#60a5fa" href="/docs">/docs</a>.</p></body>`;

export async function registerStaticUi(
  app: FastifyInstance,
  dir: string | null = resolveUiDir(),
): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply) => {
      reply.headers(UI_HEADERS);
    });
    if (dir === null) {
      scope.get('/', { schema: { hide: true } }, async (_request, reply) =>
        reply.type('text/html').send(NOT_BUILT),
      );
      return;
    }
    await scope.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      schemaHide: true,
      cacheControl: false,
      setHeaders: (reply, path) => {
        // Hashed assets never change; the page itself is always revalidated.
        reply.header(
          'cache-control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  });
}
