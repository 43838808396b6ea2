/**
 * A manual clock for tests and deterministic runs: time moves only when `advance` is called,
 * and timers due by then fire in order. Nothing sleeps for real.
 */
import type { Clock } from '../../ports/clock.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];

  constructor(start: Date | string = '2026-08-03T13:30:00.000Z') {
    this.#now = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  timestamp(): string {
    return new Date(this.#now).toISOString();
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.push(timer);
    return { cancel: () => this.#remove(timer) };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const handle = this.setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          handle.cancel();
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Moves time forward, firing every timer that falls due, earliest first. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      const next = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.#remove(next);
      this.#now = next.at;
      next.fn();
      await Promise.resolve();
    }
    this.#now = target;
  }

  pendingTimers(): number {
    return this.#timers.length;
  }

  #remove(timer: Timer): void {
    this.#timers = this.#timers.filter((t) => t !== timer);
  }
}
