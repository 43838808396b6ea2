/**
 * Running `bin/centaur.js` as a child, for the CLI suites, with time limits that follow from what
 * a run costs. Every run starts Node, registers tsx and loads the whole CLI (program.ts imports
 * every subcommand, so the API, the engine, the simulator and their dependencies are all loaded
 * and transpiled): about 2 CPU-seconds, 2-3 s of wall time on an idle two-core machine. With the
 * load average near 12 on two cores a child gets about a sixth of a core, and one run takes 15 s or
 * more: a file that spawns five in a row cannot fit the default 20 s test timeout.
 *
 * So a test that spawns children declares how many it runs one after another and gets a timeout
 * of that many budgets (`centaurTimeout`); independent runs go in parallel (one round).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve('bin/centaur.js');

/**
 * What one `centaur` run may take: about 2 CPU-seconds at a sixth of a core (load ~12 on two
 * cores) is 12-15 s; doubled for a margin.
 */
export const CENTAUR_RUN_BUDGET_MS = 30_000;

/** A test timeout for `rounds` sequential `centaur` runs plus `otherMs` for the test's own work. */
export function centaurTimeout(rounds: number, otherMs = 10_000): number {
  return rounds * CENTAUR_RUN_BUDGET_MS + otherMs;
}

export interface CentaurRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CentaurOptions {
  /** The child's whole environment besides PATH (and HOME when `home` is set). */
  env?: Record<string, string>;
  cwd?: string;
  /** Pass HOME through (default false). */
  home?: boolean;
  /** Killed (SIGKILL) after this long; the run then reports signal SIGKILL. */
  timeoutMs?: number;
}

/**
 * Runs `centaur <args>` to its exit, asynchronously (an API or simulator in this process keeps
 * answering meanwhile: never spawnSync here).
 */
export function runCentaur(args: string[], options: CentaurOptions = {}): Promise<CentaurRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: {
        PATH: process.env.PATH ?? '',
        ...(options.home ? { HOME: process.env.HOME ?? '' } : {}),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? CENTAUR_RUN_BUDGET_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      done({ status, signal, stdout, stderr });
    });
  });
}
