import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { Secret } from '../config/secret.js';
import { installAuth } from './auth.js';
import { installErrorHandling } from './errors.js';
import { isUiPath, registerStaticUi, UI_CONTENT_SECURITY_POLICY } from './static-ui.js';

let app: FastifyInstance;
afterEach(async () => app?.close());

function builtUi(): string {
  const dir = mkdtempSync(join(tmpdir(), 'centaur-ui-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Centaur</title>');
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  return dir;
}

async function appWith(dir: string | null, token: string | null = null): Promise<FastifyInstance> {
  const a = Fastify();
  installErrorHandling(a);
  installAuth(a, token === null ? null : new Secret(token));
  a.get('/state/profile', async () => ({ ok: true }));
  await registerStaticUi(a, dir);
  await a.ready();
  return a;
}

describe('static UI', () => {
  it('serves the page at / with a CSP that allows only its own origin', async () => {
    app = await appWith(builtUi());
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Centaur</title>');
    expect(page.headers['content-security-policy']).toBe(UI_CONTENT_SECURITY_POLICY);
    expect(UI_CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
    expect(UI_CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-cache');
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('leaves API routes first and unknown paths to the JSON not-found answer', async () => {
    app = await appWith(builtUi());
    expect((await app.inject({ method: 'GET', url: '/state/profile' })).json()).toEqual({ ok: true });
    const missing = await app.inject({ method: 'GET', url: '/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('route_not_found');
    expect(missing.headers['content-security-policy']).toBeUndefined();
  });

  it('serves the page without the token so it can ask for it; data routes still need it', async () => {
    app = await appWith(builtUi(), 'secret-token-123');
    expect((await app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/assets/index-abc.js' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/state/profile' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/' })).statusCode).toBe(401);
  });

  it('says how to build the UI when ui/dist is missing', async () => {
    app = await appWith(null);
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('npm run build:ui');
    expect(page.headers['content-security-policy']).toBe(UI_CONTENT_SECURITY_POLICY);
  });

  it('treats only GET/HEAD of the page and its assets as UI paths', () => {
    expect(isUiPath('GET', '/')).toBe(true);
    expect(isUiPath('HEAD', '/index.html?x=1')).toBe(true);
    expect(isUiPath('GET', '/assets/a.js')).toBe(true);
    expect(isUiPath('GET', '/assets/../state/profile')).toBe(false);
    expect(isUiPath('POST', '/')).toBe(false);
    expect(isUiPath('GET', '/state/profile')).toBe(false);
  });
});
