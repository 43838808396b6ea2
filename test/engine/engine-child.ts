/**
 * `centaur engine` as a child process, for the crash tests: spawn it with an environment, read
 * its output, tell when it is ready (its heartbeat) or has exited, and SIGKILL whatever is left.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll } from 'vitest';
import { compareTimestamps } from '../../src/core/time.js';
import type { Store } from '../../src/ports/store.js';
import { BIN, CENTAUR_RUN_BUDGET_MS } from '../support/cli.js';
import { PROFILE, waitFor } from './harness.js';

export interface EngineChild {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

/** Spawns engines for one test file; any still running when the file ends is SIGKILLed. */
export function engineChildren(): (env: Record<string, string>) => EngineChild {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
  return (env) => {
    const child = spawn(process.execPath, [BIN, 'engine'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (d) => {
      output += d;
    });
    child.stderr?.on('data', (d) => {
      output += d;
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    return { child, exited, output: () => output };
  };
}

/**
 * 'ready' once a heartbeat from a holder other than `notHolder` says ready, else the exit code.
 * Polls every 25 ms for at most `timeoutMs` (a child's start, then its startup reconciliation).
 */
export async function readyOrExit(
  store: Store,
  proc: EngineChild,
  notHolder: string | null,
  timeoutMs = CENTAUR_RUN_BUDGET_MS,
): Promise<'ready' | number | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) return proc.child.exitCode;
    const h = await store.heartbeats.read(PROFILE);
    if (h && h.holder !== notHolder && h.detail.ready === true) return 'ready';
    if (Date.now() > deadline) throw new Error(`engine neither ready nor exited:\n${proc.output()}`);
    await delay(25);
  }
}

/**
 * Waits, on the store's clock (the one the lease is judged by), until the lease a dead engine
 * left behind has lapsed: the next engine started then takes it at its first try.
 */
export async function leaseLapsed(store: Store, timeoutMs = 30_000): Promise<void> {
  const lease = await store.leases.get(PROFILE);
  if (lease === null) return;
  await waitFor(
    async () => compareTimestamps(await store.now(), lease.expiresAt) > 0,
    timeoutMs,
    `the lease of ${lease.holder} (until ${lease.expiresAt}) to lapse`,
  );
}
