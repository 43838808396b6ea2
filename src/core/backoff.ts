/**
 * The one retry/backoff policy: exponential, capped, with optional full jitter (AWS architecture
 * blog's "full jitter"). The ceiling of attempt n (0-based) is min(cap, base * 2^n); with full
 * jitter the delay is uniform in [0, ceiling), without it the delay is the ceiling. Pure: no
 * timers, the random source is injected, so the engine, the adapters and the UI (which bundles
 * this file) share it and tests are exact. Callers own their sleep (clock, setTimeout, ioredis).
 */
export type Jitter = 'full' | 'none';

export interface BackoffPolicy {
  /** The ceiling of the first delay (attempt 0). */
  baseMs: number;
  /** The largest ceiling. */
  capMs: number;
  /** 'full' (default): uniform in [0, ceiling); 'none': exactly the ceiling. */
  jitter?: Jitter;
}

export interface BackoffDelayInput extends BackoffPolicy {
  /** 0-based: 0 is the first retry. */
  attempt: number;
  random?: () => number;
}

/** min(cap, base * 2^attempt); the exponent is bounded so huge attempt counts stay finite. */
export function backoffCeiling(attempt: number, policy: Pick<BackoffPolicy, 'baseMs' | 'capMs'>): number {
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
}

/** The delay before retry number `attempt` (0-based) under `policy`. */
export function backoffDelay(input: BackoffDelayInput): number {
  const ceiling = backoffCeiling(input.attempt, input);
  if ((input.jitter ?? 'full') === 'none') return ceiling;
  return Math.floor((input.random ?? Math.random)() * ceiling);
}

export interface BackoffOptions extends BackoffPolicy {
  random?: () => number;
}

/** The policy with its attempt counter: next() gives a delay and counts it, reset() starts over. */
export class Backoff {
  #attempt = 0;

  constructor(private readonly o: BackoffOptions) {}

  /** The ceiling of the next delay (before jitter). */
  ceiling(): number {
    return backoffCeiling(this.#attempt, this.o);
  }

  /** The next delay in ms, and one more attempt counted. */
  next(): number {
    const delay = backoffDelay({ ...this.o, attempt: this.#attempt });
    this.#attempt++;
    return delay;
  }

  get attempts(): number {
    return this.#attempt;
  }

  reset(): void {
    this.#attempt = 0;
  }
}
