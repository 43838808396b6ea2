/**
 * The engine's own view of what it commits: every change it announces (change-announcer.ts) also
 * fires here, in process and whatever the channel (none on SQLite included), so a part of the
 * engine waits for the change it needs instead of polling the database. Subscribe BEFORE reading
 * the state you wait on (`next` then read), so a change committed in between is never missed.
 */

import type { ChangeKind } from '../ports/change-notifier.js';
import type { Clock } from '../ports/clock.js';
import type { Announce } from './change-announcer.js';

export interface ChangeWait {
  /** Resolves when one of the kinds changed. */
  readonly changed: Promise<void>;
  cancel(): void;
}

interface Waiter {
  kinds: ReadonlySet<ChangeKind>;
  resolve: () => void;
}

export class ChangeSignal {
  readonly #waiters = new Set<Waiter>();

  /** Tells the waiters of `kind` (called with each announcement). */
  fire(kind: ChangeKind): void {
    for (const w of [...this.#waiters])
      if (w.kinds.has(kind)) {
        this.#waiters.delete(w);
        w.resolve();
      }
  }

  /** A wait for the next change of one of `kinds`. */
  next(kinds: readonly ChangeKind[]): ChangeWait {
    let waiter: Waiter | null = null;
    const changed = new Promise<void>((resolve) => {
      waiter = { kinds: new Set(kinds), resolve };
      this.#waiters.add(waiter);
    });
    return {
      changed,
      cancel: () => {
        if (waiter) this.#waiters.delete(waiter);
      },
    };
  }

  get waiting(): number {
    return this.#waiters.size;
  }
}

/** `announce`, and the same change fired on `signal`. */
export function announceAndSignal(announce: Announce, signal: ChangeSignal): Announce {
  return (kind, ids) => {
    announce(kind, ids);
    signal.fire(kind);
  };
}

/** Waits for `wait` or `ms` on `clock`, whichever comes first; true when the change came. */
export async function changedWithin(wait: ChangeWait, ms: number, clock: Clock): Promise<boolean> {
  let timer: { cancel(): void } | null = null;
  const timedOut = new Promise<false>((resolve) => {
    timer = clock.setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([wait.changed.then(() => true as const), timedOut]);
  } finally {
    (timer as { cancel(): void } | null)?.cancel();
    wait.cancel();
  }
}
