/**
 * The API through a database outage (issue 13, item 5, API side), on real Postgres: the API talks
 * to the database through a TCP proxy this test cuts and restores. While it is cut, every route
 * that needs the store answers 503 database_unavailable (no address, no driver text), /health is
 * 503 with "database unreachable" only, and the SSE change feed keeps polling; once the proxy is
 * back, everything answers again by itself. Skipped (with a notice) when Postgres is unreachable.
 */
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EmbeddedCommandBus } from '../../src/adapters/bus/embedded-command-bus.js';
import { createDatabase } from '../../src/adapters/storage/database.js';
import { createStore } from '../../src/adapters/storage/kysely-store.js';
import { migrateToLatest } from '../../src/adapters/storage/migrator.js';
import { buildApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/config/config.js';
import { postgresDatabase, type ScratchDatabase } from '../storage/store-harness.js';
import { postgresUrl, serviceSuite } from '../support/services.js';
import { marketBuy } from './harness.js';

/** A TCP proxy to Postgres that can be cut (listener closed, every connection reset) and restored. */
class CuttableProxy {
  #server: net.Server | null = null;
  readonly #sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    const address = server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : this.port;
    this.#server = server;
  }

  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const s of this.#sockets) s.resetAndDestroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const logLines: Array<{ level: number; msg: string; failedReads?: number }> = [];

await serviceSuite('postgres', () => {
  let scratch: ScratchDatabase;
  let proxy: CuttableProxy;
  let app: FastifyInstance;
  let close: () => Promise<void>;

  beforeAll(async () => {
    scratch = await postgresDatabase();
    const direct = createDatabase(scratch.url);
    await migrateToLatest(direct);
    await direct.destroy();
    const target = new URL(postgresUrl());
    proxy = new CuttableProxy(target.hostname || '127.0.0.1', Number(target.port || 5432));
    await proxy.open();
    const viaProxy = new URL(scratch.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const db = createDatabase(viaProxy.toString(), { connectTimeoutMs: 1_000 });
    const bus = new EmbeddedCommandBus({ db });
    const log = pino(
      { level: 'debug' },
      { write: (line: string) => logLines.push(JSON.parse(line) as (typeof logLines)[number]) },
    );
    app = await buildApp({
      config: loadConfig({ DATABASE_URL: viaProxy.toString(), ENGINE_PROFILE_ID: 'outage' }),
      store: createStore(db),
      bus,
      log,
      options: { quoteWaitMs: 0, eventsPollMs: 50 },
    });
    close = async () => {
      await app.close();
      await bus.close();
      await db.destroy();
    };
  });

  afterAll(async () => {
    await close?.();
    await proxy?.cut();
    await scratch?.cleanup();
  });

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('answers 503 database_unavailable while the database is gone, and recovers by itself', async () => {
    expect((await get('/state/positions')).statusCode).toBe(200);
    const port = String(proxy.port);
    await proxy.cut();

    const answers = [
      await get('/state/positions'),
      await get('/state/profile'),
      await get('/commands'),
      await get('/audit'),
      await app.inject({ method: 'POST', url: '/commands/draft', payload: marketBuy }),
      await app.inject({ method: 'POST', url: '/commands/kill-switch', payload: { confirm_token: 'PAPER' } }),
    ];
    for (const r of answers) {
      expect(r.statusCode, r.body).toBe(503);
      expect(r.json().error).toEqual({
        code: 'database_unavailable',
        message: 'The database cannot be reached right now; try again shortly.',
        details: {},
      });
    }

    const health = await get('/health');
    expect(health.statusCode).toBe(503);
    expect(health.json().checks.database).toEqual({ ok: false, detail: 'unreachable' });
    expect(health.json().reasons).toContain('database unreachable');
    for (const leak of [port, '127.0.0.1', 'ECONNREFUSED', 'postgres', scratch.url.split('/').pop() ?? 'x']) {
      expect(health.body).not.toContain(leak);
      for (const r of answers) expect(r.body).not.toContain(leak);
    }

    await proxy.open(); // same port: the database is back
    await expect.poll(async () => (await get('/state/positions')).statusCode, { timeout: 10_000 }).toBe(200);
    expect(
      (await app.inject({ method: 'POST', url: '/commands/draft', payload: marketBuy })).statusCode,
    ).toBe(201);
  });

  it('keeps the SSE change feed polling through an outage, warning once, and resumes it', async () => {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const controller = new AbortController();
    const response = await fetch(`${address}/events`, { signal: controller.signal });
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) throw new Error(`stream ended before ${pattern}`);
        text += decoder.decode(chunk.value);
      }
    };
    await readUntil(/event: commands/);
    const warningsBefore = logLines.filter((l) =>
      l.msg.startsWith('change feed: reading the store failed'),
    ).length;

    await proxy.cut();
    await expect
      .poll(() => logLines.filter((l) => l.msg.startsWith('change feed: reading the store failed')).length, {
        timeout: 10_000,
      })
      .toBe(warningsBefore + 1);
    // Later failed polls (50 ms apart) log at debug only.
    await expect
      .poll(() => logLines.filter((l) => l.msg === 'change feed: the store still does not answer').length, {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(2);
    await proxy.open();
    await expect
      .poll(() => logLines.some((l) => l.msg === 'change feed: the store answers again'), { timeout: 10_000 })
      .toBe(true);
    const recovered = logLines.find((l) => l.msg === 'change feed: the store answers again');
    expect(recovered?.failedReads).toBeGreaterThanOrEqual(3);
    expect(logLines.filter((l) => l.msg.startsWith('change feed: reading the store failed')).length).toBe(
      warningsBefore + 1,
    );

    // A change after the outage still reaches the listener.
    text = '';
    await app.inject({ method: 'POST', url: '/commands/kill-switch', payload: { confirm_token: 'PAPER' } });
    await readUntil(/event: commands\n/);
    controller.abort();
  });
});
