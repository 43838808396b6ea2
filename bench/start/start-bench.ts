/**
 * Benchmarks of the all-in-one start (issue 8):
 *  1. cold start to healthy: spawn `centaur start` (fresh working directory, so a fresh SQLite
 *     ledger and migrations) and time until GET /health answers 200; several runs.
 *  2. resident memory at rest with 100 positions: the all-in-one in a child process with a
 *     100-symbol simulator account, measured after it has settled.
 * Run: npx tsx bench/start/start-bench.ts [runs]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const BIN = resolve('bin/centaur.js');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const RUNS = Number(process.argv[2] ?? 5);

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      server.close(() => done(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function waitHealthy(url: string, deadlineMs: number): Promise<boolean> {
  while (Date.now() < deadlineMs) {
    try {
      if ((await fetch(`${url}/health`)).status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

async function coldStart(): Promise<number> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), 'centaur-bench-start-'));
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'start', '--sim-tick-ms', '0'], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      API_PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  const ok = await waitHealthy(`http://127.0.0.1:${port}`, Date.now() + 30_000);
  const elapsed = performance.now() - started;
  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
  if (!ok) throw new Error('never healthy');
  return elapsed;
}

async function memoryAtRest(): Promise<{ rssMb: number; heapMb: number; positions: number }> {
  const child = spawn(process.execPath, ['--import', TSX, resolve('bench/start/at-rest-child.ts')], {
    cwd: mkdtempSync(join(tmpdir(), 'centaur-bench-mem-')),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  await new Promise((r) => child.once('exit', r));
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
}

const times: number[] = [];
for (let i = 0; i < RUNS; i += 1) times.push(await coldStart());
times.sort((a, b) => a - b);
const memory = await memoryAtRest();
console.log(
  JSON.stringify(
    {
      node: process.version,
      cold_start_ms: {
        runs: times.map((t) => Math.round(t)),
        p50: Math.round(times[Math.floor(times.length / 2)] ?? 0),
        max: Math.round(times.at(-1) ?? 0),
      },
      at_rest_100_positions: memory,
    },
    null,
    2,
  ),
);
