/**
 * Per-key request budget in fixed 60-second windows (Alpaca: 200 per minute by default), and the
 * `X-Ratelimit-*` values every response carries.
 * Must preserve: limit 0 disables limiting (headers still sent); `reset` is epoch seconds.
 */

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch seconds when the window resets. */
  reset: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    public limit: number,
    private readonly windowMs = 60_000,
  ) {}

  take(key: string, now: number): RateDecision {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    const reset = Math.ceil((w.start + this.windowMs) / 1000);
    if (this.limit <= 0) return { allowed: true, limit: 0, remaining: 0, reset };
    if (w.count >= this.limit) return { allowed: false, limit: this.limit, remaining: 0, reset };
    w.count++;
    return { allowed: true, limit: this.limit, remaining: this.limit - w.count, reset };
  }

  clear(): void {
    this.windows.clear();
  }
}
