// Builds the web UI (ui/dist) when it is missing or older than its sources, so `npm start` on a
// fresh clone serves the page; otherwise does nothing. Concurrent callers (parallel test workers)
// take a lock directory, so only one builds and the others wait and then find it fresh.
// Exit status is the build's.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const ui = join(root, 'ui');
const built = join(ui, 'dist', 'index.html');
const lock = join(ui, '.dist.lock');
const LOCK_STALE_MS = 120_000;

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
}

function staleReason() {
  const sources = ['src', 'index.html', 'vite.config.ts'].map((p) => join(ui, p)).filter(existsSync);
  const sourceTime = Math.max(...sources.map(newest));
  if (!existsSync(built)) return 'missing';
  return statSync(built).mtimeMs < sourceTime ? 'older than its sources' : null;
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function acquire() {
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const age = Date.now() - (existsSync(lock) ? statSync(lock).mtimeMs : Date.now());
      if (age > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      else sleep(200);
    }
  }
}

if (staleReason() === null) process.exit(0);
acquire();
let status = 0;
try {
  const reason = staleReason(); // another process may have built it while we waited
  if (reason !== null) {
    console.log(`ui/dist is ${reason}: building the web UI (npm run build:ui)…`);
    const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    const run = spawnSync(
      process.execPath,
      [vite, 'build', '--config', join(ui, 'vite.config.ts'), '--logLevel', 'warn'],
      { cwd: root, stdio: 'inherit' },
    );
    status = run.status ?? 1;
  }
} finally {
  rmSync(lock, { recursive: true, force: true });
}
process.exit(status);
