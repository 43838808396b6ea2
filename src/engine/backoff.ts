/**
 * Exponential backoff with full jitter (AWS architecture blog's "full jitter"): the n-th delay is
 * uniform in [0, min(cap, base * 2^n)). The random source is injected so tests are exact.
 */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  random?: () => number;
}

export class Backoff {
  #attempt = 0;
  readonly #random: () => number;

  constructor(private readonly o: BackoffOptions) {
    this.#random = o.random ?? Math.random;
  }

  /** The ceiling of the next delay (before jitter). */
  ceiling(): number {
    return Math.min(this.o.capMs, this.o.baseMs * 2 ** Math.min(this.#attempt, 30));
  }

  /** The next delay in ms, and one more attempt counted. */
  next(): number {
    const delay = Math.floor(this.#random() * this.ceiling());
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
