/**
 * Reachability of the machine's PostgreSQL and Redis for the suites that need them, with one
 * policy: when a service is unreachable the suite FAILS under CI=true (it is mandatory there) and
 * is skipped with a printed notice elsewhere. Only loopback addresses are ever contacted by tests.
 */
import net from 'node:net';
import pg from 'pg';
import { describe, it } from 'vitest';

export type ServiceName = 'postgres' | 'redis';

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export function postgresUrl(): string {
  return process.env.TEST_DATABASE_URL || DEFAULT_POSTGRES_URL;
}

export function redisUrl(): string {
  return process.env.REDIS_URL || DEFAULT_REDIS_URL;
}

function masked(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@]*@/i, '$1:***@');
}

const cache = new Map<ServiceName, Promise<boolean>>();

/** True when `select 1` succeeds on `url` within `timeoutMs` (never throws). */
export async function postgresAccepts(url: string, timeoutMs: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** True when `select 1` succeeds against postgresUrl() within two seconds. */
export function postgresAvailable(): Promise<boolean> {
  let probe = cache.get('postgres');
  if (!probe) {
    probe = postgresAccepts(postgresUrl(), 2000);
    cache.set('postgres', probe);
  }
  return probe;
}

/** True when Redis answers PING (or asks for AUTH) at redisUrl() within two seconds. */
export function redisAvailable(): Promise<boolean> {
  let probe = cache.get('redis');
  if (!probe) {
    probe = new Promise<boolean>((resolve) => {
      const url = new URL(redisUrl());
      const socket = net.connect({ host: url.hostname || '127.0.0.1', port: Number(url.port || 6379) });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(2000, () => done(false));
      socket.on('error', () => done(false));
      socket.on('connect', () => socket.write('PING\r\n'));
      socket.on('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
    });
    cache.set('redis', probe);
  }
  return probe;
}

export function serviceAvailable(name: ServiceName): Promise<boolean> {
  return name === 'postgres' ? postgresAvailable() : redisAvailable();
}

function serviceUrl(name: ServiceName): string {
  return masked(name === 'postgres' ? postgresUrl() : redisUrl());
}

/**
 * Registers `suite` when the service is reachable. Otherwise: under CI=true registers a failing
 * test (the suite is mandatory in CI); elsewhere prints a notice and registers one skipped test.
 * Use with top-level await: `await serviceSuite('postgres', () => { ... })`.
 */
export async function serviceSuite(name: ServiceName, suite: () => void): Promise<void> {
  if (await serviceAvailable(name)) {
    suite();
    return;
  }
  const notice = `${name} not reachable at ${serviceUrl(name)}`;
  if (process.env.CI === 'true') {
    it(`${name} is reachable (mandatory when CI=true)`, () => {
      throw new Error(`${notice}: the ${name} suite is mandatory in CI`);
    });
    return;
  }
  const label = name === 'postgres' ? 'Postgres' : 'Redis';
  console.warn(
    `${label} not reachable at ${serviceUrl(name)}: ${name === 'postgres' ? 'store' : 'bus'} suite skipped`,
  );
  // Skipped on purpose: the service is unreachable outside CI; the skip carries the notice in the report.
  it.skip(`${name} suite (${notice})`, () => {});
}

/** A describe block that runs only when Postgres is reachable (same policy as serviceSuite). */
export async function describeIfPostgres(name: string, suite: () => void): Promise<void> {
  await serviceSuite('postgres', () => describe(name, suite));
}

/** A describe block that runs only when Redis is reachable (same policy as serviceSuite). */
export async function describeIfRedis(name: string, suite: () => void): Promise<void> {
  await serviceSuite('redis', () => describe(name, suite));
}
