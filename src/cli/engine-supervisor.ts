/**
 * Keeps an engine serving across a lapsed lease. When the engine stops by itself because its lease
 * LAPSED (the database was unreachable past the lease, the process or the machine was paused), it
 * has already aborted what it was doing; the supervisor stops it and starts a new one (a new
 * holder, a new fencing token) once the database answers again. When another engine TOOK the
 * lease, or a start finds the lease held, the supervisor ends: that engine serves the profile.
 * Used by `centaur engine` and the all-in-one start.
 */

import { Backoff } from '../core/backoff.js';
import type { RunningEngine } from '../engine/engine.js';
import { LeaseHeldError } from '../engine/lease.js';
import type { Logger } from '../logging/logger.js';

/** How long to wait between attempts to serve again after the lease lapsed (base = cap: fixed). */
const RESTART_BACKOFF_MS = 2_000;
/** How long a stop may take before the supervisor goes on without it. */
const STOP_DEADLINE_MS = 4_500;

export interface SupervisedEngine {
  /** The engine serving now. */
  current(): RunningEngine;
  /** Resolves when supervision ended by itself: the reason (lease taken, or held by another engine). */
  readonly ended: Promise<{ reason: string; leaseHeld: boolean }>;
  /** Stops the engine serving now (and any restart in progress). */
  stop(): Promise<void>;
}

/** Starts the first engine (errors propagate) and supervises it. */
export async function superviseEngine(
  start: () => Promise<RunningEngine>,
  log: Logger,
  backoffMs = RESTART_BACKOFF_MS,
): Promise<SupervisedEngine> {
  let engine = await start();
  let stopping = false;
  let wake = () => {};
  const ended = (async () => {
    for (;;) {
      const reason = await Promise.race([
        engine.stopped,
        new Promise<string>((r) => (wake = () => r('stop'))),
      ]);
      if (stopping) return { reason: 'stopped', leaseHeld: false };
      await stopWithin(engine, log);
      if (engine.leaseLoss !== 'lapsed') return { reason: `engine stopped: ${reason}`, leaseHeld: false };
      log.warn({ reason }, 'profile lease lapsed: the engine stopped; serving again once it can');
      const restart = new Backoff({ baseMs: backoffMs, capMs: backoffMs, jitter: 'none' });
      for (;;) {
        await new Promise((r) => setTimeout(r, restart.next()).unref());
        if (stopping) return { reason: 'stopped', leaseHeld: false };
        try {
          engine = await start();
          if (stopping) {
            await stopWithin(engine, log);
            return { reason: 'stopped', leaseHeld: false };
          }
          log.info('engine serving again under a new lease');
          break;
        } catch (error) {
          if (error instanceof LeaseHeldError) return { reason: error.message, leaseHeld: true };
          log.warn({ err: error }, 'engine could not start again yet; retrying');
        }
      }
    }
  })();
  return {
    current: () => engine,
    ended,
    stop: async () => {
      stopping = true;
      wake();
      await stopWithin(engine, log);
    },
  };
}

async function stopWithin(engine: RunningEngine, log: Logger): Promise<void> {
  const deadline = new Promise<'timeout'>((resolve) =>
    setTimeout(() => resolve('timeout'), STOP_DEADLINE_MS).unref(),
  );
  const outcome = await Promise.race([engine.stop().then(() => 'stopped' as const), deadline]);
  if (outcome === 'timeout') log.error('engine did not stop within the deadline; going on');
}
