/**
 * The profile lease: exactly one engine per profile, and a fencing token that proves it. Taken at
 * start with a short TTL and renewed well before it lapses, so a crashed engine's lease expires
 * within seconds while a live one never loses it. The store decides expiry on its own clock and
 * increments the token with every takeover; every broker write and command state change is made
 * under the token (`fence()`), and the store refuses a stale one.
 *
 * A paused process cannot ask the store whether it still holds the lease before its next write,
 * so the keeper also measures the lease on this process's monotonic clock: from the moment a take
 * or renewal was SENT (never later than the store's own start of the TTL), the lease is believed
 * for `ttlMs - safetyMs` only. After a pause (SIGSTOP, a long GC, a frozen VM) that outlasted it,
 * `assertHeld()` fails at once, without a round trip, and the engine aborts whatever it was about
 * to send. A lost lease (taken by another holder, or expired) is reported once so the engine stops
 * rather than run twice.
 */
import type { Clock } from '../ports/clock.js';
import type { Fence, LeaseRepository } from '../ports/store.js';

export class LeaseHeldError extends Error {
  constructor(
    readonly profileId: string,
    readonly holder: string,
    readonly expiresAt: string,
  ) {
    super(
      `profile "${profileId}" is already served by engine ${holder} (lease valid until ${expiresAt}); ` +
        'stop that engine first, or wait for its lease to expire if it crashed',
    );
    this.name = 'LeaseHeldError';
  }
}

/** This engine no longer holds (or can no longer prove it holds) the profile lease. */
export class LeaseLostError extends Error {
  constructor(reason: string) {
    super(`the profile lease is not held: ${reason}`);
    this.name = 'LeaseLostError';
  }
}

/** Why a lease was lost: another engine took it, or it lapsed (database unreachable, paused process). */
export type LeaseLossKind = 'taken' | 'lapsed';

export interface LeaseOptions {
  leases: LeaseRepository;
  clock: Clock;
  profileId: string;
  holder: string;
  ttlMs: number;
  renewMs: number;
  /** Belief margin under the TTL on the monotonic clock (default: a fifth of the TTL, at least 1 s). */
  safetyMs?: number;
  /** Monotonic milliseconds (default performance.now; injectable for tests). */
  monotonic?: () => number;
  /** Called once when the lease cannot be kept (taken by another holder or expired). */
  onLost: (reason: string, kind: LeaseLossKind) => void;
  onError?: (error: unknown) => void;
}

export class LeaseKeeper {
  #timer: { cancel(): void } | null = null;
  /** Monotonic time until which the lease is believed held. */
  #believedUntil = Number.NEGATIVE_INFINITY;
  #token: number | null = null;
  #lost: string | null = null;
  #stopped = false;
  readonly #monotonic: () => number;
  readonly #safetyMs: number;

  constructor(private readonly o: LeaseOptions) {
    this.#monotonic = o.monotonic ?? (() => performance.now());
    this.#safetyMs = o.safetyMs ?? Math.max(1_000, Math.floor(o.ttlMs / 5));
  }

  /** Takes the lease; throws LeaseHeldError naming the holder when another engine has it. */
  async acquire(): Promise<void> {
    if (!(await this.#tryRenew())) {
      const lease = await this.o.leases.get(this.o.profileId);
      throw new LeaseHeldError(this.o.profileId, lease?.holder ?? 'unknown', lease?.expiresAt ?? 'unknown');
    }
    this.#schedule();
  }

  /** The fence every fenced write carries; throws LeaseLostError when the lease is not held. */
  fence(): Fence {
    this.assertHeld();
    return { holder: this.o.holder, token: this.#token as number };
  }

  /** Throws LeaseLostError unless the lease is held and believed unexpired on the monotonic clock. */
  assertHeld(): void {
    if (this.#lost !== null) throw new LeaseLostError(this.#lost);
    if (this.#token === null) throw new LeaseLostError('not taken yet');
    if (this.#monotonic() >= this.#believedUntil) {
      // A pause outlasted the lease: another engine may hold it now. Nothing is sent from here on.
      const reason = 'the lease lapsed before it could be renewed (process paused or database unreachable)';
      this.#lose(reason, 'lapsed');
      throw new LeaseLostError(reason);
    }
  }

  async #tryRenew(): Promise<boolean> {
    const sentAt = this.#monotonic();
    const grant = await this.o.leases.take(this.o.profileId, this.o.holder, this.o.ttlMs);
    if (grant === null) return false;
    if (this.#token !== null && grant.token !== this.#token) {
      // Ours again under a new token: whatever we had in flight is stale. One more than ours is
      // our own re-take of a lapsed lease; more than that, someone else held it in between.
      if (grant.token === this.#token + 1)
        this.#lose('the lease lapsed before it could be renewed', 'lapsed');
      else this.#lose('another engine held the profile lease in between', 'taken');
      return false;
    }
    this.#token = grant.token;
    this.#believedUntil = sentAt + this.o.ttlMs - this.#safetyMs;
    return true;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.o.clock.setTimeout(() => void this.#renew(), this.o.renewMs);
  }

  async #renew(): Promise<void> {
    if (this.#stopped) return;
    if (this.#monotonic() >= this.#believedUntil) {
      return this.#lose('the lease lapsed before it could be renewed (process paused?)', 'lapsed');
    }
    try {
      if (!(await this.#tryRenew())) {
        return this.#lose(this.#lost ?? 'another engine took the profile lease', 'taken');
      }
    } catch (error) {
      this.o.onError?.(error);
      if (this.#monotonic() >= this.#believedUntil) {
        return this.#lose('the profile lease expired while the database was unreachable', 'lapsed');
      }
    }
    this.#schedule();
  }

  #lose(reason: string, kind: LeaseLossKind): void {
    if (this.#lost !== null) return;
    this.#lost = reason;
    if (this.#stopped) return;
    this.#stopped = true;
    this.#timer?.cancel();
    this.o.onLost(reason, kind);
  }

  /** Stops renewing and releases the lease (only if still ours). */
  async release(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    if (this.#lost !== null) return;
    this.#lost = 'released';
    await this.o.leases.release(this.o.profileId, this.o.holder);
  }
}
