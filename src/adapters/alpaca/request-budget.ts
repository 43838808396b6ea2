/**
 * A token bucket that keeps REST calls under the broker's limit (Alpaca: 200 per minute), with
 * priority lanes: when tokens run short, waiting requests are served kill_switch first, then
 * cancel, exit, entry and read (first come, first served within a lane).
 * Must preserve: in any 60 s window at most `burst + (perMinute - burst)` = `perMinute` tokens are
 * handed out (the bucket holds `burst` and refills the rest continuously), and requests the SDK
 * retries on its own are debited afterwards so the budget still counts them. Time comes from an
 * injected clock; nothing here sleeps for real in a test.
 */

import { REQUEST_LANES, type RequestLane } from '../../ports/broker.js';
import type { Clock } from '../../ports/clock.js';

export interface BudgetConfig {
  /** Requests allowed in any 60 s window (default 190: headroom under Alpaca's 200). */
  perMinute?: number;
  /** Tokens available at once (default 10). */
  burst?: number;
}

export type BudgetClock = Pick<Clock, 'now' | 'setTimeout'>;

/** Wall time and real timers: the production default. */
export const wallClock: BudgetClock = {
  now: () => new Date(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(timer) };
  },
};

interface Waiter {
  rank: number;
  seq: number;
  resolve: () => void;
}

const RANK: Record<RequestLane, number> = Object.fromEntries(
  REQUEST_LANES.map((lane, i) => [lane, i]),
) as Record<RequestLane, number>;

export class RequestBudget {
  readonly perMinute: number;
  readonly burst: number;
  readonly #perMs: number;
  readonly #clock: BudgetClock;
  #tokens: number;
  #last: number;
  #seq = 0;
  #queue: Waiter[] = [];
  #timer: { cancel(): void } | null = null;

  constructor(config: BudgetConfig = {}, clock: BudgetClock = wallClock) {
    this.perMinute = config.perMinute ?? 190;
    this.burst = config.burst ?? Math.min(10, Math.floor(this.perMinute / 2));
    if (!Number.isInteger(this.perMinute) || this.perMinute < 2) {
      throw new RangeError(`request budget: perMinute must be an integer >= 2, got ${this.perMinute}`);
    }
    if (!Number.isInteger(this.burst) || this.burst < 1 || this.burst >= this.perMinute) {
      throw new RangeError(`request budget: burst must be an integer in 1..perMinute-1, got ${this.burst}`);
    }
    this.#perMs = (this.perMinute - this.burst) / 60_000;
    this.#clock = clock;
    this.#tokens = this.burst;
    this.#last = clock.now().getTime();
  }

  /** Resolves when the request may be sent; higher lanes overtake lower ones in the queue. */
  acquire(lane: RequestLane = 'read'): Promise<void> {
    this.#refill();
    if (this.#queue.length === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const waiter: Waiter = { rank: RANK[lane], seq: this.#seq++, resolve };
      const at = this.#queue.findIndex((w) => w.rank > waiter.rank);
      if (at < 0) this.#queue.push(waiter);
      else this.#queue.splice(at, 0, waiter);
      this.#schedule();
    });
  }

  /** Counts a request sent without acquire (an SDK retry); the balance may go below zero. */
  debit(count = 1): void {
    this.#refill();
    this.#tokens -= count;
  }

  /** Whole tokens available now. */
  available(): number {
    this.#refill();
    return Math.max(0, Math.floor(this.#tokens));
  }

  /** Requests waiting for a token. */
  waiting(): number {
    return this.#queue.length;
  }

  #refill(): void {
    const now = this.#clock.now().getTime();
    const elapsed = Math.max(0, now - this.#last);
    this.#last = now;
    this.#tokens = Math.min(this.burst, this.#tokens + elapsed * this.#perMs);
  }

  #schedule(): void {
    if (this.#timer !== null || this.#queue.length === 0) return;
    const wait = Math.max(0, Math.ceil((1 - this.#tokens) / this.#perMs));
    this.#timer = this.#clock.setTimeout(() => this.#drain(), wait);
  }

  #drain(): void {
    this.#timer = null;
    this.#refill();
    while (this.#queue.length > 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      this.#queue.shift()!.resolve();
    }
    this.#schedule();
  }
}
