/**
 * Centaur's own processes as children, for the multi-process and chaos suites: spawn
 * `bin/centaur.js <command>` with an environment, keep its output for failure messages, signal it
 * (SIGSTOP/SIGCONT/SIGKILL included), and wait for a condition without fixed sleeps. Everything a
 * group started is SIGKILLed by `killAll` (call it from afterAll).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const BIN = resolve('bin/centaur.js');

export const SIM_KEY = 'E2EKEY';
export const SIM_SECRET = 'E2ESECRET';
export const SIM_HEADERS = { 'APCA-API-KEY-ID': SIM_KEY, 'APCA-API-SECRET-KEY': SIM_SECRET };

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Proc {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

export class ProcessGroup {
  readonly procs: Proc[] = [];

  /** Starts `centaur <args>` with only PATH, HOME and `env` in its environment. */
  start(name: string, args: string[], env: Record<string, string>): Proc {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const proc = { name, child, exited, output: () => out };
    this.procs.push(proc);
    return proc;
  }

  /** Runs `centaur <args>` to completion (e.g. migrate). */
  run(args: string[], env: Record<string, string>): { status: number | null; stderr: string } {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      encoding: 'utf8',
    });
    return { status: r.status, stderr: r.stderr };
  }

  /** The tail of every process's output, for a failure message. */
  logs(tail = 2000): string {
    return this.procs.map((p) => `--- ${p.name}\n${p.output().slice(-tail)}`).join('\n');
  }

  /** pollUntil with every process's log tail in the failure message. */
  eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
    return pollUntil(probe, { timeoutMs, what, context: () => this.logs() });
  }

  /** SIGTERM to everything still running (newest first), then waits for the exits. */
  async stopAll(): Promise<void> {
    for (const p of [...this.procs].reverse()) if (alive(p)) p.child.kill('SIGCONT');
    for (const p of [...this.procs].reverse()) if (alive(p)) p.child.kill('SIGTERM');
    await Promise.all(this.procs.map((p) => p.exited));
  }

  killAll(): void {
    for (const p of this.procs) if (alive(p)) p.child.kill('SIGKILL');
  }
}

/** Thrown by a probe to end a pollUntil wait at once (the awaited state can no longer occur). */
export class GiveUp extends Error {}

/** How often pollUntil looks: the cadence of a wait on state that has no event to await. */
export const POLL_INTERVAL_MS = 100;

/**
 * Waits for a state, not for a time: calls `probe` every POLL_INTERVAL_MS until it returns a value
 * other than undefined. A probe that throws counts as "not yet" (its error is kept for the
 * message), except a GiveUp, which ends the wait at once. Throws after `timeoutMs`, with
 * `context()` (e.g. process logs) appended.
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  o: { timeoutMs: number; what: string; context?: () => string },
): Promise<T> {
  const started = Date.now();
  const tail = () => (o.context ? `; logs:\n${o.context()}` : '');
  let last: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof GiveUp) throw new Error(`${o.what}: ${error.message}${tail()}`);
      last = error;
    }
    if (Date.now() - started > o.timeoutMs) {
      const lastError = last ? ` (last error: ${String(last)})` : '';
      throw new Error(`${o.what} not met within ${o.timeoutMs} ms${lastError}${tail()}`);
    }
    await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
  }
}

export function alive(p: Proc): boolean {
  return p.child.exitCode === null && p.child.signalCode === null;
}
