/**
 * Multi-process mode, exactly as compose runs it: the standalone simulator, `centaur migrate`,
 * `centaur engine` and `centaur api` as separate processes on the machine's Postgres and Redis,
 * driven only through the HTTP API: draft -> confirm -> fill, then a kill switch.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, ProcessGroup, SIM_HEADERS, SIM_KEY, SIM_SECRET } from '../support/processes.js';
import { postgresUrl, redisUrl, serviceSuite } from '../support/services.js';

const group = new ProcessGroup();
const eventually = group.eventually.bind(group);

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
    group.start(
      'sim',
      [
        'sim',
        '--port',
        String(simPort),
        '--key',
        SIM_KEY,
        '--secret',
        SIM_SECRET,
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
      async () => ((await fetch(`${sim}/v2/clock`, { headers: SIM_HEADERS })).ok ? true : undefined),
      30_000,
      'simulator up',
    );
    await fetch(`${sim}/_sim/reset`, {
      method: 'POST',
      headers: { ...SIM_HEADERS, 'content-type': 'application/json' },
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
      ALPACA_API_KEY: SIM_KEY,
      ALPACA_API_SECRET: SIM_SECRET,
      ALPACA_TRADING_BASE_URL: sim,
      ALPACA_DATA_BASE_URL: sim,
      ENGINE_SYNC_MIN_INTERVAL_SECONDS: '0.3',
      ENGINE_POLL_INTERVAL_SECONDS: '2',
      API_PORT: String(apiPort),
    };
    const migrate = group.run(['migrate'], env);
    expect(migrate.status, migrate.stderr).toBe(0);
    group.start('engine', ['engine'], env);
    group.start('api', ['api'], env);
    api = `http://127.0.0.1:${apiPort}`;
    await eventually(
      async () => ((await fetch(`${api}/health`)).status === 200 ? true : undefined),
      60_000,
      'API healthy',
    );
  }, 120_000);

  afterAll(async () => {
    await group.stopAll();
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
    const broker = await fetch(`${sim}/v2/positions`, { headers: SIM_HEADERS });
    expect(await broker.json()).toEqual([]);
    const profile = await call<{ trading_state: { state: string } }>('/state/profile');
    expect(profile.json.trading_state.state).toBe('HALTED');
  }, 90_000);
});
