/**
 * Control-plane benchmark (issue 5, item 9):
 * 1. GET /state/positions with 50 positions (real app: auth off, SQLite store, schemas) under
 *    autocannon, side by side in one run with a bare Fastify route returning the same bytes.
 * 2. Command enqueue -> consumer pickup latency (publish() call to handler start), p50/p99, over
 *    the embedded bus (SQLite) and over Redis Streams (when REDIS_URL or 127.0.0.1:6379 answers).
 * Usage: npx tsx bench/api/api-bench.ts [durationSeconds=10] [busSamples=1000]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { pino } from 'pino';
import { EmbeddedCommandBus } from '../../src/adapters/bus/embedded-command-bus.js';
import { RedisCommandBus } from '../../src/adapters/bus/redis-command-bus.js';
import { createDatabase, createStore, migrateToLatest } from '../../src/adapters/storage/index.js';
import { buildApp } from '../../src/api/app.js';
import { listen } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/config.js';
import type { Position } from '../../src/core/position.js';
import type { CommandBus } from '../../src/ports/command-bus.js';

const duration = Number(process.argv[2] ?? 10);
const busSamples = Number(process.argv[3] ?? 1000);
const log = pino({ level: 'silent' });

function position(i: number): Position {
  const price = (100 + i).toFixed(2);
  return {
    symbol: `SYM${i}`,
    assetId: randomUUID(),
    qty: String(10 + i),
    side: 'long',
    avgEntryPrice: price,
    costBasis: (Number(price) * (10 + i)).toFixed(2),
    currentPrice: price,
    lastdayPrice: price,
    marketValue: (Number(price) * (10 + i)).toFixed(2),
    unrealizedPl: '0',
    unrealizedPlpc: '0',
    unrealizedIntradayPl: '0',
    asOf: new Date().toISOString(),
    provenance: 'rest',
  };
}

async function load(url: string) {
  const r = await autocannon({ url, connections: 10, duration, pipelining: 1 });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

async function positionsBench(dir: string) {
  const db = createDatabase(`sqlite:${join(dir, 'bench.db')}`);
  await migrateToLatest(db);
  const store = createStore(db);
  await store.positions.replaceAll(
    'bench',
    Array.from({ length: 50 }, (_, i) => position(i)),
    new Date().toISOString(),
  );
  const config = loadConfig({ ENGINE_PROFILE_ID: 'bench', LOG_LEVEL: 'silent' });
  const bus = new EmbeddedCommandBus({ db });
  const app = await buildApp({ config, store, bus, log });
  const api = await listen(app, '127.0.0.1', 0);
  const body = (await app.inject({ method: 'GET', url: '/state/positions' })).body;
  const bare = Fastify();
  bare.get('/state/positions', (_req, reply) => reply.type('application/json; charset=utf-8').send(body));
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/state/positions`;
  await load(`${api.url}/state/positions`); // warm-up of both, shorter runs would skew the JIT
  const real = await load(`${api.url}/state/positions`);
  const reference = await load(bareUrl);
  await api.close();
  await bare.close();
  await bus.close();
  await db.destroy();
  return { bytes: Buffer.byteLength(body), real, reference, ratio: real.rps / reference.rps };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** publish() -> handler start, one command at a time (the API path: one confirm, one pickup). */
async function pickupLatency(bus: CommandBus, profileId: string) {
  const started = new Map<string, number>();
  const samples: number[] = [];
  let resolveOne: (() => void) | null = null;
  bus.consume(profileId, 'bench', async (d) => {
    const t0 = started.get(d.envelope.commandId);
    if (t0 !== undefined) samples.push(performance.now() - t0);
    resolveOne?.();
  });
  for (let i = 0; i < busSamples + 50; i += 1) {
    const commandId = randomUUID();
    const done = new Promise<void>((r) => {
      resolveOne = r;
    });
    started.set(commandId, performance.now());
    await bus.publish({ commandId, profileId, type: 'submit_order', enqueuedAt: new Date().toISOString() });
    await done;
  }
  const measured = samples.slice(50).sort((a, b) => a - b);
  return { samples: measured.length, p50: percentile(measured, 50), p99: percentile(measured, 99) };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'centaur-api-bench-'));
  console.log(
    `cpus: ${cpus().length} x ${cpus()[0]?.model}; node ${process.version}; ${duration}s per load run`,
  );
  const positions = await positionsBench(dir);
  console.log(`GET /state/positions (50 positions, ${positions.bytes} bytes), 10 connections:`);
  console.log(
    `  centaur API : ${positions.real.rps.toFixed(0)} req/s, p50 ${positions.real.p50} ms, p99 ${positions.real.p99} ms, errors ${positions.real.errors}`,
  );
  console.log(
    `  bare Fastify: ${positions.reference.rps.toFixed(0)} req/s, p50 ${positions.reference.p50} ms, p99 ${positions.reference.p99} ms, errors ${positions.reference.errors}`,
  );
  console.log(`  ratio       : ${positions.ratio.toFixed(2)} (target >= 0.5)`);

  const db = createDatabase(`sqlite:${join(dir, 'bus.db')}`);
  await migrateToLatest(db);
  const embedded = new EmbeddedCommandBus({ db });
  const e = await pickupLatency(embedded, 'bench');
  await embedded.close();
  await db.destroy();
  console.log(
    `enqueue -> pickup, embedded (SQLite): p50 ${e.p50.toFixed(3)} ms, p99 ${e.p99.toFixed(3)} ms (${e.samples} samples)`,
  );

  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new RedisCommandBus({
    url: redisUrl,
    queueName: `centaur-bench:${randomUUID()}`,
    blockMs: 1000,
  });
  if (await redis.healthy()) {
    const r = await pickupLatency(redis, 'bench');
    console.log(
      `enqueue -> pickup, Redis Streams: p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms (${r.samples} samples)`,
    );
  } else console.log(`Redis not reachable at ${redisUrl}: Redis latency skipped`);
  await redis.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
