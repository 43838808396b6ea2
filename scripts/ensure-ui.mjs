// Builds the web UI (ui/dist) when it is missing or older than its sources, so `npm start` on a
// fresh clone serves the page; otherwise does nothing. Exit status is the build's.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const ui = join(root, 'ui');
const built = join(ui, 'dist', 'index.html');

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
}

const sources = ['src', 'index.html', 'vite.config.ts'].map((p) => join(ui, p)).filter(existsSync);
const sourceTime = Math.max(...sources.map(newest));
const reason = !existsSync(built)
  ? 'missing'
  : statSync(built).mtimeMs < sourceTime
    ? 'older than its sources'
    : null;
if (reason === null) process.exit(0);

console.log(`ui/dist is ${reason}: building the web UI (npm run build:ui)…`);
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const run = spawnSync(
  process.execPath,
  [vite, 'build', '--config', join(ui, 'vite.config.ts'), '--logLevel', 'warn'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(run.status ?? 1);
