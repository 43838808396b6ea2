/**
 * `centaur engine` as a child process, for the crash tests: spawn it with an environment, read
 * its output, tell when it is ready (its heartbeat) or has exited, and SIGKILL whatever is left.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll } from 'vitest';
import type { Store } from '../../src/ports/store.js';
import { PROFILE } from './harness.js';

const BIN = resolve('bin/centaur.js');

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

/** 'ready' once a heartbeat from a holder other than `notHolder` says ready, else the exit code. */
export async function readyOrExit(
  store: Store,
  proc: EngineChild,
  notHolder: string | null,
): Promise<'ready' | number | null> {
  for (let i = 0; i < 800; i++) {
    if (proc.child.exitCode !== null) return proc.child.exitCode;
    const h = await store.heartbeats.read(PROFILE);
    if (h && h.holder !== notHolder && h.detail.ready === true) return 'ready';
    await delay(25);
  }
  throw new Error(`engine neither ready nor exited:\n${proc.output()}`);
}
