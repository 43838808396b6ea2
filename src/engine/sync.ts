/**
 * The sync scheduler: when REST is read. Events request a refresh; requests are coalesced and run
 * at most once per `minIntervalMs` (runs of any kind are spaced by at least that). A full
 * reconciliation runs every `pollIntervalMs`; a refresh that would land within two `minIntervalMs`
 * of a due reconciliation waits for it instead (the reconciliation re-reads positions too, and a
 * refresh just before it would leave the next one a full interval away: with 3 s and 10 s that is
 * 2 position reads per cycle instead of 3, and a requested refresh is at most 4 s late). Forced
 * runs (startup, gap recovery) bypass the throttle but never overlap another run. A failed run is
 * retried with a growing delay, capped at the poll interval.
 */
import { backoffDelay } from '../core/backoff.js';
import type { Clock } from '../ports/clock.js';

export type SyncKind = 'light' | 'full';

export interface SyncSchedulerOptions {
  clock: Clock;
  minIntervalMs: number;
  pollIntervalMs: number;
  run: (kind: SyncKind) => Promise<void>;
  onError: (error: unknown, kind: SyncKind) => void;
}

export class SyncScheduler {
  #lastRunAt = Number.NEGATIVE_INFINITY;
  #nextFullAt = 0;
  #lightRequested = false;
  #running: Promise<void> | null = null;
  #timer: { cancel(): void } | null = null;
  #failures = 0;
  #started = false;
  #runs = { light: 0, full: 0 };

  constructor(private readonly o: SyncSchedulerOptions) {}

  get runs(): Readonly<{ light: number; full: number }> {
    return this.#runs;
  }

  /** Starts the periodic schedule; the first full reconciliation is due one poll interval from now. */
  start(lastFullAt = this.#now()): void {
    this.#started = true;
    this.#lastRunAt = lastFullAt;
    this.#nextFullAt = lastFullAt + this.o.pollIntervalMs;
    this.#kick();
  }

  /** Asks for a REST refresh (coalesced, throttled). */
  requestRefresh(): void {
    this.#lightRequested = true;
    this.#kick();
  }

  /** Brings the next full reconciliation forward to now (still spaced by the throttle). */
  requestFull(): void {
    this.#nextFullAt = Math.min(this.#nextFullAt, this.#now());
    this.#kick();
  }

  /** Runs a full reconciliation now, after any run in progress; throws what it throws. */
  async runNow(run: () => Promise<void>): Promise<void> {
    while (this.#running) await this.#running.catch(() => {});
    const started = this.#now();
    const p = run();
    this.#running = p.then(
      () => undefined,
      () => undefined,
    );
    try {
      await p;
      this.#lastRunAt = started;
      this.#nextFullAt = started + this.o.pollIntervalMs;
    } finally {
      this.#running = null;
      this.#kick();
    }
  }

  stop(): Promise<void> {
    this.#started = false;
    this.#timer?.cancel();
    this.#timer = null;
    return this.#running ?? Promise.resolve();
  }

  #now(): number {
    return this.o.clock.now().getTime();
  }

  /** When the next run starts and what it is. */
  plan(now = this.#now()): { at: number; kind: SyncKind } {
    const earliest = this.#lastRunAt + this.o.minIntervalMs;
    if (this.#lightRequested) {
      const lightAt = Math.max(earliest, now);
      if (this.#nextFullAt < lightAt + 2 * this.o.minIntervalMs) {
        return { at: Math.max(this.#nextFullAt, lightAt), kind: 'full' };
      }
      return { at: lightAt, kind: 'light' };
    }
    return { at: Math.max(this.#nextFullAt, earliest, now), kind: 'full' };
  }

  #kick(): void {
    if (!this.#started || this.#running) return;
    this.#timer?.cancel();
    const { at } = this.plan();
    this.#timer = this.o.clock.setTimeout(() => this.#fire(), Math.max(0, at - this.#now()));
  }

  #fire(): void {
    this.#timer = null;
    if (!this.#started || this.#running) return;
    const { kind } = this.plan();
    const started = this.#now();
    this.#lightRequested = false;
    this.#lastRunAt = started;
    this.#running = this.o
      .run(kind)
      .then(
        () => {
          this.#failures = 0;
          this.#runs[kind]++;
          if (kind === 'full') this.#nextFullAt = started + this.o.pollIntervalMs;
        },
        (error) => {
          this.#failures++;
          this.o.onError(error, kind);
          // After a failure: minIntervalMs doubling per consecutive failure, capped at the poll interval.
          const delay = backoffDelay({
            attempt: this.#failures - 1,
            baseMs: this.o.minIntervalMs,
            capMs: this.o.pollIntervalMs,
            jitter: 'none',
          });
          if (kind === 'light') this.#lightRequested = true;
          this.#lastRunAt = started + delay - this.o.minIntervalMs;
          if (kind === 'full') this.#nextFullAt = started + delay;
        },
      )
      .finally(() => {
        this.#running = null;
        this.#kick();
      });
  }
}
