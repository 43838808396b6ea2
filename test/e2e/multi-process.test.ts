/**
 * Multi-process mode, exactly as compose runs it: the standalone simulator, `centaur migrate`,
 * `centaur engine` and `centaur api` as separate processes on the machine's Postgres and Redis,
 * driven only through the HTTP API: draft -> confirm -> fill, then a kill switch.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postgresUrl, redisUrl, serviceSuite } from '../support/services.js';

const BIN = resolve('bin/centaur.js');
const children: ChildProcess[] = [];
const logs = new Map<string, string[]>();

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function start(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  logs.set(name, lines);
  child.stdout?.on('data', (d) => lines.push(String(d)));
  child.stderr?.on('data', (d) => lines.push(String(d)));
  children.push(child);
  return child;
}

async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `${what} not met in time; logs:\n${[...logs].map(([n, l]) => `--- ${n}\n${l.join('').slice(-2000)}`).join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

await serviceSuite('postgres', () => {
  const database = `centaur_e2e_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new URL(postgresUrl());
  const dbUrl = new URL(postgresUrl());
  dbUrl.pathname = `/${database}`;
  let api = '';
  let sim = '';

  async function call<T>(path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const res = await fetch(`${api}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as T };
  }

  async function finished(
    commandId: string,
  ): Promise<{ status: string; result: Record<string, unknown> | null }> {
    return eventually(
      async () => {
        const c = await call<{ status: string; result: Record<string, unknown> | null }>(
          `/commands/${commandId}`,
        );
        return ['succeeded', 'failed', 'rejected', 'expired'].includes(c.json.status) ? c.json : undefined;
      },
      60_000,
      `command ${commandId} finished`,
    );
  }

  beforeAll(async () => {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
    const [simPort, apiPort] = [await freePort(), await freePort()];
    sim = `http://127.0.0.1:${simPort}`;
    start(
      'sim',
      [
        'sim',
        '--port',
        String(simPort),
        '--key',
        'E2EKEY',
        '--secret',
        'E2ESECRET',
        '--tick-ms',
        '0',
        '--partial-fills',
        '0',
        '--rate-limit',
        '0',
      ],
      {},
    );
    await eventually(
      async () =>
        (
          await fetch(`${sim}/v2/clock`, {
            headers: { 'APCA-API-KEY-ID': 'E2EKEY', 'APCA-API-SECRET-KEY': 'E2ESECRET' },
          })
        ).ok
          ? true
          : undefined,
      30_000,
      'simulator up',
    );
    await fetch(`${sim}/_sim/reset`, {
      method: 'POST',
      headers: {
        'APCA-API-KEY-ID': 'E2EKEY',
        'APCA-API-SECRET-KEY': 'E2ESECRET',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        cash: '100000',
        positions: [{ symbol: 'MSFT', qty: '5', avg_entry_price: '400' }],
      }),
    });
    const env = {
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: redisUrl(),
      COMMAND_QUEUE_NAME: `centaur-e2e:${database}`,
      ENGINE_PROFILE_ID: 'e2e',
      ALPACA_API_KEY: 'E2EKEY',
      ALPACA_API_SECRET: 'E2ESECRET',
      ALPACA_TRADING_BASE_URL: sim,
      ALPACA_DATA_BASE_URL: sim,
      ENGINE_SYNC_MIN_INTERVAL_SECONDS: '0.3',
      ENGINE_POLL_INTERVAL_SECONDS: '2',
      API_PORT: String(apiPort),
    };
    const migrate = spawnSync(process.execPath, [BIN, 'migrate'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
    });
    expect(migrate.status, migrate.stderr).toBe(0);
    start('engine', ['engine'], env);
    start('api', ['api'], env);
    api = `http://127.0.0.1:${apiPort}`;
    await eventually(
      async () => ((await fetch(`${api}/health`)).status === 200 ? true : undefined),
      60_000,
      'API healthy',
    );
  }, 120_000);

  afterAll(async () => {
    for (const child of children.reverse()) child.kill('SIGTERM');
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
    );
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
  }, 30_000);

  it('drives draft -> confirm -> fill through the API of a separate process', async () => {
    const draft = await eventually(
      async () => {
        const d = await call<{ id: string; verdict: { allowed: boolean } }>('/commands/draft', {
          symbol: 'AAPL',
          side: 'buy',
          qty: '3',
          type: 'market',
          time_in_force: 'day',
        });
        return d.status === 201 && d.json.verdict.allowed ? d : undefined;
      },
      30_000,
      'an allowed draft (engine has priced AAPL)',
    );
    const confirm = await call<{ command: { id: string } }>('/commands/confirm', { draft_id: draft.json.id });
    expect(confirm.status).toBe(202);
    expect((await finished(confirm.json.command.id)).status).toBe('succeeded');
    await eventually(
      async () => {
        const p = await call<{ positions: Array<{ symbol: string; qty: string }> }>('/state/positions');
        return p.json.positions.find((x) => x.symbol === 'AAPL')?.qty === '3' ? true : undefined;
      },
      30_000,
      'AAPL position of 3',
    );
  }, 90_000);

  it('flattens the account with a kill switch and stays HALTED', async () => {
    const kill = await call<{ command: { id: string } }>('/commands/kill-switch', {
      confirm_token: 'paper',
      reason: 'e2e',
    });
    expect(kill.status).toBe(202);
    const done = await finished(kill.json.command.id);
    expect(done.status).toBe('succeeded');
    const broker = await fetch(`${sim}/v2/positions`, {
      headers: { 'APCA-API-KEY-ID': 'E2EKEY', 'APCA-API-SECRET-KEY': 'E2ESECRET' },
    });
    expect(await broker.json()).toEqual([]);
    const profile = await call<{ trading_state: { state: string } }>('/state/profile');
    expect(profile.json.trading_state.state).toBe('HALTED');
  }, 90_000);
});
