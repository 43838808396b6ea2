/**
 * The deployments the SSE benchmark measures, each started as child processes on loopback:
 * - `all-in-one`: all-in-one-child.ts (what `npm start` runs: SQLite, embedded bus, one process);
 * - `separate-postgres`: `centaur sim`, `centaur migrate`, `centaur engine`, `centaur api` on a
 *   fresh Postgres database, embedded bus (no REDIS_URL);
 * - `separate-redis`: the same with REDIS_URL set (Redis Streams bus).
 * Every child is SIGTERMed by `stop()` (and SIGKILLed if the benchmark itself exits first); the
 * database is dropped.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

export const DEPLOYMENTS = ['all-in-one', 'separate-postgres', 'separate-redis'] as const;
export type DeploymentName = (typeof DEPLOYMENTS)[number];

export interface Deployment {
  name: DeploymentName;
  apiUrl: string;
  simUrl: string;
  simHeaders: Record<string, string>;
  stop(): Promise<void>;
}

const BIN = resolve('bin/centaur.js');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SIM_KEY = 'BENCHKEY';
const SIM_SECRET = 'BENCHSECRET';

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      server.close(() => done(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn' };
}

interface Child {
  child: ChildProcess;
  output(): string;
}

function start(args: string[], env: Record<string, string>, cwd?: string): Child {
  const child = spawn(process.execPath, args, {
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(cwd === undefined ? {} : { cwd }),
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  return { child, output: () => out };
}

async function stopChild(c: Child): Promise<void> {
  if (c.child.exitCode !== null || c.child.signalCode !== null) return;
  const exited = new Promise((r) => c.child.once('exit', r));
  c.child.kill('SIGTERM');
  const timer = setTimeout(() => c.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Polls `probe` every 50 ms until it returns true; throws with the children's output after `ms`. */
async function until(probe: () => Promise<boolean>, ms: number, what: string, logs: () => string) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} not reached in ${ms} ms:\n${logs().slice(-3000)}`);
}

async function allInOne(): Promise<Deployment> {
  const cwd = mkdtempSync(join(tmpdir(), 'centaur-bench-sse-'));
  const port = await freePort();
  const c = start(
    ['--import', TSX, resolve('bench/sse/all-in-one-child.ts')],
    { API_PORT: String(port) },
    cwd,
  );
  await until(async () => c.output().includes('"apiUrl"'), 60_000, 'all-in-one ready', c.output);
  const line =
    c
      .output()
      .split('\n')
      .find((l) => l.startsWith('{"apiUrl"')) ?? '{}';
  const info = JSON.parse(line) as { apiUrl: string; simUrl: string; keyId: string; secret: string };
  return {
    name: 'all-in-one',
    apiUrl: info.apiUrl,
    simUrl: info.simUrl,
    simHeaders: { 'APCA-API-KEY-ID': info.keyId, 'APCA-API-SECRET-KEY': info.secret },
    stop: () => stopChild(c),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function separate(name: 'separate-postgres' | 'separate-redis'): Promise<Deployment> {
  const database = `centaur_bench_sse_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await adminQuery(`CREATE DATABASE ${database}`);
  const dbUrl = new URL(POSTGRES_URL);
  dbUrl.pathname = `/${database}`;
  const [simPort, apiPort] = [await freePort(), await freePort()];
  const simUrl = `http://127.0.0.1:${simPort}`;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const simHeaders = { 'APCA-API-KEY-ID': SIM_KEY, 'APCA-API-SECRET-KEY': SIM_SECRET };
  const procs: Child[] = [];
  const logs = () => procs.map((p) => p.output()).join('\n---\n');
  const stop = async () => {
    for (const p of [...procs].reverse()) await stopChild(p);
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  };
  try {
    const simArgs = ['sim', '--port', String(simPort), '--key', SIM_KEY, '--secret', SIM_SECRET];
    procs.push(start([BIN, ...simArgs, '--rate-limit', '0', '--partial-fills', '0'], {}));
    await until(
      async () => (await fetch(`${simUrl}/v2/clock`, { headers: simHeaders })).ok,
      30_000,
      'sim',
      logs,
    );
    const env: Record<string, string> = {
      DATABASE_URL: dbUrl.toString(),
      ENGINE_PROFILE_ID: 'bench',
      ALPACA_API_KEY: SIM_KEY,
      ALPACA_API_SECRET: SIM_SECRET,
      ALPACA_TRADING_BASE_URL: simUrl,
      ALPACA_DATA_BASE_URL: simUrl,
      API_PORT: String(apiPort),
      ...(name === 'separate-redis' ? { REDIS_URL, COMMAND_QUEUE_NAME: `centaur-bench:${database}` } : {}),
    };
    const migrate = spawnSync(process.execPath, [BIN, 'migrate'], {
      env: { ...baseEnv(), ...env },
      encoding: 'utf8',
    });
    if (migrate.status !== 0) throw new Error(`migrate failed: ${migrate.stderr}`);
    procs.push(start([BIN, 'engine'], env));
    procs.push(start([BIN, 'api'], env));
    await until(async () => (await fetch(`${apiUrl}/health`)).status === 200, 60_000, 'API healthy', logs);
    return { name, apiUrl, simUrl, simHeaders, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export function startDeployment(name: DeploymentName): Promise<Deployment> {
  return name === 'all-in-one' ? allInOne() : separate(name);
}
