/**
 * The profile lease: exactly one engine per profile. Taken at start with a short TTL and renewed
 * well before it lapses, so a crashed engine's lease expires within seconds while a live one never
 * loses it. A refused acquire names the holder; a lost lease (someone else took it after ours
 * lapsed) is reported so the engine stops rather than run twice.
 */
import type { Clock } from '../ports/clock.js';
import type { LeaseRepository } from '../ports/store.js';

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

export interface LeaseOptions {
  leases: LeaseRepository;
  clock: Clock;
  profileId: string;
  holder: string;
  ttlMs: number;
  renewMs: number;
  /** Called once when the lease cannot be kept (taken by another holder or expired). */
  onLost: (reason: string) => void;
  onError?: (error: unknown) => void;
}

export class LeaseKeeper {
  #timer: { cancel(): void } | null = null;
  #expiresAtMs = 0;
  #stopped = false;

  constructor(private readonly o: LeaseOptions) {}

  /** Takes the lease; throws LeaseHeldError naming the holder when another engine has it. */
  async acquire(): Promise<void> {
    if (!(await this.#tryRenew())) {
      const lease = await this.o.leases.get(this.o.profileId);
      throw new LeaseHeldError(this.o.profileId, lease?.holder ?? 'unknown', lease?.expiresAt ?? 'unknown');
    }
    this.#schedule();
  }

  async #tryRenew(): Promise<boolean> {
    const now = this.o.clock.now().getTime();
    const expiresAt = now + this.o.ttlMs;
    const ok = await this.o.leases.acquire(
      this.o.profileId,
      this.o.holder,
      new Date(now).toISOString(),
      new Date(expiresAt).toISOString(),
    );
    if (ok) this.#expiresAtMs = expiresAt;
    return ok;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.o.clock.setTimeout(() => void this.#renew(), this.o.renewMs);
  }

  async #renew(): Promise<void> {
    if (this.#stopped) return;
    try {
      if (!(await this.#tryRenew())) return this.#lost('another engine took the profile lease');
    } catch (error) {
      this.o.onError?.(error);
      if (this.o.clock.now().getTime() >= this.#expiresAtMs) {
        return this.#lost('the profile lease expired while the database was unreachable');
      }
    }
    this.#schedule();
  }

  #lost(reason: string): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.o.onLost(reason);
  }

  /** Stops renewing and releases the lease (only if still ours). */
  async release(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    await this.o.leases.release(this.o.profileId, this.o.holder);
  }
}
