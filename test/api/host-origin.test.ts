/**
 * The Host and Origin allowlist (issue 13, DNS rebinding): a foreign Host is refused on every
 * route before anything else runs; state-changing requests also refuse a foreign, null or
 * cross-site origin; loopback names work; configured hosts work. Nothing is stored or audited
 * for a refused request.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listen } from '../../src/api/server.js';
import { type Harness, type HarnessOptions, harness, marketBuy, seedMarket, TOKEN } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());
const open = async (options: HarnessOptions = {}) => {
  h = await harness(options);
  await seedMarket(h.store);
  return h;
};

const auditCount = async () => (await h.db.selectFrom('audit_events').select('seq').execute()).length;

/** Every kind of route: open, data, docs, metrics, UI, SSE, commands, 404. */
const ROUTES: Array<[string, string, object?]> = [
  ['GET', '/health'],
  ['GET', '/state/profile'],
  ['GET', '/state/positions'],
  ['GET', '/docs'],
  ['GET', '/docs/json'],
  ['GET', '/metrics'],
  ['GET', '/'],
  ['GET', '/assets/index-abc.js'],
  ['GET', '/events'],
  ['GET', '/audit'],
  ['GET', '/no/such/route'],
  ['POST', '/commands/draft', marketBuy],
  ['POST', '/commands/confirm', { draft_id: 'x' }],
  ['POST', '/commands/kill-switch', { confirm_token: 'PAPER' }],
  ['POST', '/commands/resume', { confirm_token: 'PAPER', reason: 'drill over' }],
  ['POST', '/commands/cancel', { order_id: 'o-1' }],
  ['DELETE', '/state/positions'],
];

describe('Host allowlist', () => {
  it('answers 421 host_not_allowed on every route for a foreign Host, storing nothing', async () => {
    await open();
    const audited = await auditCount();
    for (const host of ['evil.example', 'evil.example:8000', 'attacker.test.', '10.0.0.5:8000', '0.0.0.0']) {
      for (const [method, url, payload] of ROUTES) {
        const r = await h.request({ method: method as 'GET', url, headers: { host }, payload });
        expect(r.statusCode, `${method} ${url} Host ${host}`).toBe(421);
        expect(r.json().error.code).toBe('host_not_allowed');
        expect(r.headers['access-control-allow-origin']).toBeUndefined();
      }
    }
    expect(await h.commandCount()).toBe(0);
    expect(await auditCount()).toBe(audited);
  });

  it('refuses a foreign Host before the token is checked', async () => {
    await open({ env: { API_TOKEN: TOKEN } });
    const r = await h.request({
      method: 'GET',
      url: '/state/profile',
      headers: { host: 'evil.example', authorization: `Bearer ${TOKEN}` },
    });
    expect(r.statusCode).toBe(421);
    const noToken = await h.request({
      method: 'GET',
      url: '/state/profile',
      headers: { host: 'evil.example' },
    });
    expect(noToken.json().error.code).toBe('host_not_allowed');
  });

  it('serves loopback names and addresses on any port', async () => {
    await open();
    for (const host of [
      '127.0.0.1:8000',
      'localhost',
      'LOCALHOST:5173',
      '[::1]:8000',
      '127.1.2.3',
      'localhost.',
    ]) {
      const r = await h.request({ method: 'GET', url: '/state/profile', headers: { host } });
      expect(r.statusCode, host).toBe(200);
    }
  });

  it('serves API_HOST when it names one address, and API_ALLOWED_HOSTS', async () => {
    await open({
      env: { API_HOST: '10.0.0.5', API_TOKEN: TOKEN, API_ALLOWED_HOSTS: 'centaur.lan,Box.Example' },
    });
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const host of ['10.0.0.5:8000', 'centaur.lan', 'box.example:443', '127.0.0.1']) {
      const r = await h.request({ method: 'GET', url: '/state/profile', headers: { host, ...auth } });
      expect(r.statusCode, host).toBe(200);
    }
    const other = await h.request({
      method: 'GET',
      url: '/state/profile',
      headers: { host: '10.0.0.6', ...auth },
    });
    expect(other.statusCode).toBe(421);
  });

  it('does not add the wildcard bind address to the allowed hosts', async () => {
    await open({ env: { API_HOST: '0.0.0.0', API_TOKEN: TOKEN } });
    const r = await h.request({ method: 'GET', url: '/health', headers: { host: '0.0.0.0:8000' } });
    expect(r.statusCode).toBe(421);
  });

  it('refuses a foreign Host on a real socket, the SSE stream included', async () => {
    await open();
    const running = await listen(h.app, '127.0.0.1', 0);
    try {
      const port = Number(new URL(running.url).port);
      const get = (path: string, host: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
            let body = '';
            res.on('data', (d) => {
              body += d;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          });
          req.on('error', reject);
          req.end();
        });
      for (const path of ['/health', '/events', '/state/account']) {
        const refused = await get(path, `rebind.evil.example:${port}`);
        expect(refused.status, path).toBe(421);
        expect(JSON.parse(refused.body).error.code).toBe('host_not_allowed');
      }
      expect((await get('/state/account', `127.0.0.1:${port}`)).status).toBe(200);
      expect((await get('/state/account', `localhost:${port}`)).status).toBe(200);
    } finally {
      await running.close();
    }
  });
});

describe('Origin check on state-changing routes', () => {
  const post = (url: string, payload: object, headers: Record<string, string>) =>
    h.request({ method: 'POST', url, payload, headers });

  it('refuses a foreign, null or cross-site origin with 403 origin_not_allowed, storing nothing', async () => {
    await open();
    const audited = await auditCount();
    const bad: Array<Record<string, string>> = [
      { origin: 'https://evil.example' },
      { origin: 'http://evil.example:8000' },
      { origin: 'null' },
      { origin: 'not a url' },
      { origin: 'file://' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'http://127.0.0.1:8000', 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of bad) {
      for (const [url, payload] of [
        ['/commands/draft', marketBuy],
        ['/commands/kill-switch', { confirm_token: 'PAPER' }],
        ['/commands/resume', { confirm_token: 'PAPER', reason: 'x' }],
        ['/commands/cancel', { order_id: 'o-1' }],
      ] as const) {
        const r = await post(url, payload, headers);
        expect(r.statusCode, `${url} ${JSON.stringify(headers)}`).toBe(403);
        expect(r.json().error.code).toBe('origin_not_allowed');
      }
    }
    expect(await h.commandCount()).toBe(0);
    expect(await auditCount()).toBe(audited);
  });

  it('accepts no Origin (curl, CLI) and a loopback or configured origin on any port', async () => {
    await open({ env: { API_ALLOWED_HOSTS: 'centaur.lan' } });
    expect((await post('/commands/draft', marketBuy, {})).statusCode).toBe(201);
    for (const origin of [
      'http://127.0.0.1:8000',
      'http://localhost:5173',
      'http://[::1]:8000',
      'https://centaur.lan',
    ]) {
      const r = await post('/commands/draft', marketBuy, { origin, 'sec-fetch-site': 'same-origin' });
      expect(r.statusCode, origin).toBe(201);
    }
  });

  it('leaves reads to the Host check alone (a browser cannot read them cross-origin anyway)', async () => {
    await open();
    const r = await h.request({
      method: 'GET',
      url: '/state/profile',
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });
});
