/**
 * Chaos, issue 13 item 4 (DNS rebinding): `centaur api` on the default loopback bind without
 * API_TOKEN, as a separate process. A page the operator visits can make a browser send requests
 * to 127.0.0.1 under its own name; they carry the foreign name in `Host` (and `Origin`). Every
 * route (all of the OpenAPI document, plus `/`, `/health`, `/metrics`, `/events` and the docs)
 * must refuse them with a 4xx (421 or 403) in the JSON error shape, while `127.0.0.1:<port>` and
 * `localhost:<port>` are served; a state-changing request with a foreign or `null` Origin is
 * refused (403) even under a loopback Host. A second API in live mode (token required) must
 * refuse the same, and no answer carries the live confirm phrase.
 *
 * Requests go through node:http so `Host` is sent as given (fetch does not allow setting it).
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/processes.js';
import { alive, Cluster, type Proc } from './harness.js';
import { servicesSuite } from './services.js';

interface Probe {
  status: number;
  contentType: string;
  text: string;
  json: { error?: { code?: unknown; message?: unknown } } & Record<string, unknown>;
}

interface Route {
  method: string;
  path: string;
}

const DUMMY_ID = '00000000-0000-4000-8000-000000000000';
const FOREIGN_ORIGIN = 'http://evil.example';
const REFUSED = [403, 421];
const BUY = { symbol: 'AAPL', side: 'buy', qty: '7', type: 'market', time_in_force: 'day' };
/** The live phrase for BUY (draft-preview.ts: SIDE QTY SYMBOL). */
const PHRASE = /BUY\s+7\s+AAPL/i;

/** Bodies that would do something if served: a refusal must come before any of it. */
function realBody(path: string, environment: 'paper' | 'live' = 'paper'): unknown {
  const bodies: Record<string, unknown> = {
    '/commands/draft': BUY,
    '/commands/confirm': { draft_id: DUMMY_ID },
    '/commands/kill-switch': { confirm_token: environment, reason: 'chaos: rebinding' },
    '/commands/resume': { confirm_token: environment, reason: 'chaos: rebinding' },
    '/commands/cancel': { order_id: DUMMY_ID },
  };
  return bodies[path] ?? {};
}
const ACTING_POSTS = [
  '/commands/draft',
  '/commands/confirm',
  '/commands/kill-switch',
  '/commands/resume',
  '/commands/cancel',
];
/** A body every route refuses as invalid (unknown field): used where a request must not act. */
const INERT_BODY = { chaos_probe_unknown_field: true };

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One request to 127.0.0.1:port with exactly these headers; an event stream is not read. */
function probe(port: number, route: Route, headers: Record<string, string>, body?: unknown): Promise<Probe> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const sent = { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) };
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: route.path, method: route.method, headers: sent, agent: false },
      (res) => {
        const contentType = String(res.headers['content-type'] ?? '');
        const done = (text: string) => {
          let json: Probe['json'] = {};
          try {
            json = JSON.parse(text);
          } catch {
            json = {};
          }
          resolve({ status: res.statusCode ?? 0, contentType, text, json });
        };
        if (contentType.includes('text/event-stream')) {
          res.destroy();
          done('');
          return;
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => done(text));
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout: ${route.method} ${route.path}`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Every operation of the OpenAPI document (path params filled) plus the routes it leaves out. */
async function routesOf(port: number, headers: Record<string, string> = {}): Promise<Route[]> {
  const doc = await probe(
    port,
    { method: 'GET', path: '/docs/json' },
    { host: `127.0.0.1:${port}`, ...headers },
  );
  expect(doc.status, doc.text).toBe(200);
  const paths = (doc.json.paths ?? {}) as Record<string, Record<string, unknown>>;
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(paths)) {
    const filled = path.replace(/\{[^}]+\}/g, DUMMY_ID).replace(/:[A-Za-z_]+/g, DUMMY_ID);
    for (const method of Object.keys(operations)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method))
        routes.push({ method: method.toUpperCase(), path: filled });
    }
  }
  for (const path of ['/', '/health', '/metrics', '/events', '/docs', '/docs/json']) {
    if (!routes.some((r) => r.method === 'GET' && r.path === path)) routes.push({ method: 'GET', path });
  }
  return routes;
}

const label = (r: Route) => `${r.method} ${r.path}`;

/** Why `r` is not a refusal (421/403 with the JSON error shape), or null when it is one. */
function notRefused(r: Probe, what: string, statuses = REFUSED): string | null {
  const shaped = typeof r.json.error?.code === 'string' && typeof r.json.error?.message === 'string';
  if (statuses.includes(r.status) && shaped) return null;
  return `${what}: ${r.status} ${r.text.slice(0, 160)}`;
}

/** Why `r` looks refused by the host/origin check, or null when it was served. */
function refused(r: Probe, what: string): string | null {
  return REFUSED.includes(r.status) ? `${what}: ${r.status} ${r.text.slice(0, 160)}` : null;
}

/** Every problem at once, so a failure lists each route that let the request through. */
function expectNone(problems: Array<string | null>): void {
  const found = problems.filter((p) => p !== null);
  expect(found.length, `${found.length} of ${problems.length} requests:\n${found.join('\n')}`).toBe(0);
}

function foreignHosts(port: number): string[] {
  return [
    'evil.example',
    `evil.example:${port}`,
    `localhost.evil.example:${port}`,
    `127.0.0.1.evil.example:${port}`,
  ];
}

await servicesSuite(['postgres', 'redis'], () => {
  const cluster = new Cluster();
  let live: Proc;
  let livePort = 0;
  const token = 'chaos-live-token-0123456789abcdef';

  beforeAll(async () => {
    await cluster.up();
    cluster.startApi();
    await cluster.apiUp();
    livePort = await freePort();
    live = cluster.group.start('api-live', ['api'], {
      ...cluster.env,
      API_PORT: String(livePort),
      ENGINE_PROFILE_ID: 'chaos-live',
      COMMAND_QUEUE_NAME: `${cluster.env.COMMAND_QUEUE_NAME}:live`,
      ALPACA_PAPER_TRADING: 'false',
      CENTAUR_LIVE_TRADING: 'enabled',
      API_TOKEN: token,
    });
    await cluster.eventually(
      async () =>
        (await probe(livePort, { method: 'GET', path: '/health' }, {})).status > 0 ? true : undefined,
      60_000,
      'live API up',
    );
  }, 120_000);

  afterAll(() => cluster.down(), 60_000);

  describe('paper API on loopback, no token', () => {
    it('refuses a foreign Host (with a matching Origin) on every route with a JSON 4xx', async () => {
      const port = cluster.apiPort;
      const routes = await routesOf(port);
      expect(routes.length).toBeGreaterThan(10);
      const problems: Array<string | null> = [];
      for (const host of foreignHosts(port)) {
        for (const route of routes) {
          const body = WITH_BODY.has(route.method) ? realBody(route.path) : undefined;
          const r = await probe(port, route, { host, origin: `http://${host}` }, body);
          problems.push(notRefused(r, `${label(route)} with Host ${host}`));
        }
      }
      expectNone(problems);
      expect(cluster.apiProc !== null && alive(cluster.apiProc)).toBe(true);
    }, 120_000);

    it('serves 127.0.0.1:<port> and localhost:<port> on every route', async () => {
      const port = cluster.apiPort;
      const problems: Array<string | null> = [];
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
        for (const route of await routesOf(port)) {
          const body = WITH_BODY.has(route.method) ? INERT_BODY : undefined;
          problems.push(
            refused(await probe(port, route, { host }, body), `${label(route)} with Host ${host}`),
          );
          if (body !== undefined) {
            const sameOrigin = await probe(port, route, { host, origin: `http://${host}` }, body);
            problems.push(refused(sameOrigin, `${label(route)} with Host and Origin ${host}`));
          }
        }
      }
      expectNone(problems);
    }, 120_000);

    it('refuses a state-changing request with a foreign or null Origin under a loopback Host (403)', async () => {
      const port = cluster.apiPort;
      const posts = (await routesOf(port)).filter((r) => WITH_BODY.has(r.method));
      expect(posts.map((r) => r.path)).toEqual(expect.arrayContaining(ACTING_POSTS));
      const problems: Array<string | null> = [];
      for (const origin of [FOREIGN_ORIGIN, `${FOREIGN_ORIGIN}:${port}`, 'null']) {
        for (const route of posts) {
          const headers = { host: `127.0.0.1:${port}`, origin };
          const r = await probe(port, route, headers, realBody(route.path));
          problems.push(notRefused(r, `${label(route)} with Origin ${origin}`, [403]));
        }
      }
      expectNone(problems);
    }, 120_000);
  });

  describe('live API (API_TOKEN set)', () => {
    const auth = () => ({ authorization: `Bearer ${token}` });

    it('refuses a foreign Host and a foreign Origin even with the token', async () => {
      const problems: Array<string | null> = [];
      const host = `evil.example:${livePort}`;
      for (const route of await routesOf(livePort, auth())) {
        const body = WITH_BODY.has(route.method) ? realBody(route.path, 'live') : undefined;
        const r = await probe(livePort, route, { host, origin: `http://${host}`, ...auth() }, body);
        problems.push(notRefused(r, `live ${label(route)} with Host ${host}`));
      }
      const draft = { method: 'POST', path: '/commands/draft' };
      const headers = { host: `127.0.0.1:${livePort}`, origin: FOREIGN_ORIGIN, ...auth() };
      problems.push(
        notRefused(await probe(livePort, draft, headers, BUY), 'live draft with a foreign Origin', [403]),
      );
      expectNone(problems);
    }, 120_000);

    it('never returns the live confirm phrase: not in the draft, not on any route', async () => {
      const host = `127.0.0.1:${livePort}`;
      const draft = await probe(
        livePort,
        { method: 'POST', path: '/commands/draft' },
        { host, ...auth() },
        BUY,
      );
      expect([200, 201], draft.text).toContain(draft.status);
      expect(Object.keys(draft.json)).not.toContain('confirm_phrase');
      expect(draft.text).not.toMatch(PHRASE);
      const draftId = String(draft.json.id);
      for (const route of await routesOf(livePort, auth())) {
        if (route.method !== 'GET' || route.path === '/events') continue;
        const path = route.path.replaceAll(DUMMY_ID, draftId);
        const r = await probe(livePort, { method: 'GET', path }, { host, ...auth() });
        expect(r.text, `GET ${path}`).not.toMatch(PHRASE);
      }
      expect(alive(live)).toBe(true);
    }, 120_000);
  });
});
