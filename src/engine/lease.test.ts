import { describe, expect, it } from 'vitest';
import { FakeClock } from '../adapters/system/fake-clock.js';
import { type Fence, type Lease, type LeaseRepository, StaleFenceError } from '../ports/store.js';
import { LeaseHeldError, LeaseKeeper, type LeaseLossKind, LeaseLostError } from './lease.js';

/** An in-memory lease table with the store's semantics (free, expired or ours; token per takeover). */
function memoryLeases(
  clock: FakeClock,
): LeaseRepository & { row: Lease | null; fail: boolean; lastToken: number } {
  const nowMs = () => clock.now().getTime();
  const repo = {
    row: null as Lease | null,
    fail: false,
    lastToken: 0,
    async take(profileId: string, holder: string, ttlMs: number) {
      if (repo.fail) throw new Error('database down');
      const r = repo.row;
      if (r && r.holder !== holder && Date.parse(r.expiresAt) > nowMs()) return null;
      const renew = r !== null && r.holder === holder && Date.parse(r.expiresAt) > nowMs();
      const token = renew ? r.token : repo.lastToken + 1;
      repo.lastToken = token;
      const expiresAt = new Date(nowMs() + ttlMs).toISOString();
      repo.row = { profileId, holder, expiresAt, token };
      return { token, expiresAt };
    },
    async release(_p: string, holder: string) {
      if (repo.row?.holder === holder) repo.row = null;
    },
    async get() {
      return repo.row;
    },
    async guard(profileId: string, fence: Fence) {
      const r = repo.row;
      if (!r || r.holder !== fence.holder || r.token !== fence.token || Date.parse(r.expiresAt) <= nowMs())
        throw new StaleFenceError(profileId, fence);
      return 'ACTIVE' as const;
    },
  };
  return repo;
}

async function tick(clock: FakeClock, ms: number) {
  for (let i = 0; i < ms / 500; i++) {
    await clock.advance(500);
    for (let k = 0; k < 5; k++) await Promise.resolve();
  }
}

function keeper(
  clock: FakeClock,
  leases: LeaseRepository,
  holder: string,
  lost: string[],
  kinds: LeaseLossKind[] = [],
) {
  return new LeaseKeeper({
    leases,
    clock,
    profileId: 'p',
    holder,
    ttlMs: 10_000,
    renewMs: 3_000,
    // The monotonic clock follows the fake clock here (a pause = time passing with no renewal).
    monotonic: () => clock.now().getTime(),
    onLost: (r, kind) => {
      lost.push(r);
      kinds.push(kind);
    },
  });
}

describe('LeaseKeeper (10 s TTL renewed every 3 s)', () => {
  it('keeps the lease while renewing and refuses a second engine, naming the holder', async () => {
    const clock = new FakeClock();
    const leases = memoryLeases(clock);
    const lost: string[] = [];
    const a = keeper(clock, leases, 'engine-a', lost);
    await a.acquire();
    await tick(clock, 60_000);
    expect(a.fence()).toEqual({ holder: 'engine-a', token: 1 });
    const b = keeper(clock, leases, 'engine-b', lost);
    const error = await b.acquire().catch((e) => e);
    expect(error).toBeInstanceOf(LeaseHeldError);
    expect(String(error.message)).toContain('engine-a');
    expect(lost).toEqual([]);
    await a.release();
    await b.acquire();
    expect(leases.row?.holder).toBe('engine-b');
    expect(b.fence().token).toBe(2);
    expect(() => a.fence()).toThrow(LeaseLostError);
  });

  it("lets a crashed engine's lease expire within the TTL, and the next holder gets a higher token", async () => {
    const clock = new FakeClock();
    const leases = memoryLeases(clock);
    const lost: string[] = [];
    // a crashed engine left its row behind and renews nothing any more
    leases.row = {
      profileId: 'p',
      holder: 'crashed',
      expiresAt: new Date(clock.now().getTime() + 10_000).toISOString(),
      token: 7,
    };
    leases.lastToken = 7;
    const b = keeper(clock, leases, 'next', lost);
    await expect(b.acquire()).rejects.toBeInstanceOf(LeaseHeldError);
    await clock.advance(10_000);
    await b.acquire();
    expect(leases.row?.holder).toBe('next');
    expect(b.fence().token).toBe(8);
  });

  it('reports the lease lost when another holder took it, and when renewals fail past expiry', async () => {
    const clock = new FakeClock();
    const leases = memoryLeases(clock);
    const lost: string[] = [];
    const kinds: LeaseLossKind[] = [];
    const a = keeper(clock, leases, 'a', lost, kinds);
    await a.acquire();
    leases.row = { profileId: 'p', holder: 'intruder', expiresAt: '2100-01-01T00:00:00Z', token: 9 };
    await tick(clock, 3_500);
    expect(lost).toEqual(['another engine took the profile lease']);
    expect(kinds).toEqual(['taken']);
    expect(() => a.assertHeld()).toThrow(LeaseLostError);

    const lost2: string[] = [];
    const kinds2: LeaseLossKind[] = [];
    const leases2 = memoryLeases(clock);
    await keeper(clock, leases2, 'b', lost2, kinds2).acquire();
    leases2.fail = true;
    await tick(clock, 6_000);
    expect(lost2).toEqual([]);
    await tick(clock, 3_000);
    expect(lost2).toHaveLength(1);
    expect(kinds2).toEqual(['lapsed']);
  });

  it('stops believing the lease after a pause that outlasted it, before any renewal runs', async () => {
    const clock = new FakeClock();
    const leases = memoryLeases(clock);
    const lost: string[] = [];
    // A SIGSTOP: monotonic time moves on while no timer (no renewal) has run yet.
    const jumped = { now: clock.now().getTime() };
    const late = new LeaseKeeper({
      leases,
      clock,
      profileId: 'p',
      holder: 'a',
      ttlMs: 10_000,
      renewMs: 3_000,
      monotonic: () => jumped.now,
      onLost: (r) => lost.push(r),
    });
    await late.acquire();
    expect(() => late.assertHeld()).not.toThrow();
    jumped.now += 8_500; // past ttl minus the 2 s safety margin, though the store's lease still runs
    expect(() => late.fence()).toThrow(LeaseLostError);
    expect(lost.at(-1)).toContain('lapsed');
  });

  it('refuses to keep going when the lease was held by someone else in between', async () => {
    const clock = new FakeClock();
    const leases = memoryLeases(clock);
    const lost: string[] = [];
    const a = keeper(clock, leases, 'a', lost);
    await a.acquire();
    // another holder took it and released it; 'a' renews into a new token: its old fence is stale
    leases.row = null;
    leases.lastToken = 5;
    await tick(clock, 3_500);
    expect(lost).toEqual(['another engine held the profile lease in between']);
    expect(() => a.fence()).toThrow(LeaseLostError);
  });
});
