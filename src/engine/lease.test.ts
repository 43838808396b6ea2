import { describe, expect, it } from 'vitest';
import { FakeClock } from '../adapters/system/fake-clock.js';
import type { Lease, LeaseRepository } from '../ports/store.js';
import { LeaseHeldError, LeaseKeeper } from './lease.js';

/** An in-memory lease table with the store's semantics (free, expired or ours). */
function memoryLeases(clock: FakeClock): LeaseRepository & { row: Lease | null; fail: boolean } {
  const repo = {
    row: null as Lease | null,
    fail: false,
    async acquire(profileId: string, holder: string, now: string, expiresAt: string) {
      if (repo.fail) throw new Error('database down');
      const r = repo.row;
      if (r && r.holder !== holder && Date.parse(r.expiresAt) > Date.parse(now)) return false;
      repo.row = { profileId, holder, expiresAt };
      return true;
    },
    async release(_p: string, holder: string) {
      if (repo.row?.holder === holder) repo.row = null;
    },
    async get() {
      return repo.row;
    },
  };
  void clock;
  return repo;
}

async function tick(clock: FakeClock, ms: number) {
  for (let i = 0; i < ms / 500; i++) {
    await clock.advance(500);
    for (let k = 0; k < 5; k++) await Promise.resolve();
  }
}

function keeper(clock: FakeClock, leases: LeaseRepository, holder: string, lost: string[]) {
  return new LeaseKeeper({
    leases,
    clock,
    profileId: 'p',
    holder,
    ttlMs: 10_000,
    renewMs: 3_000,
    onLost: (r) => lost.push(r),
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
    const b = keeper(clock, leases, 'engine-b', lost);
    const error = await b.acquire().catch((e) => e);
    expect(error).toBeInstanceOf(LeaseHeldError);
    expect(String(error.message)).toContain('engine-a');
    expect(lost).toEqual([]);
    await a.release();
    await b.acquire();
    expect(leases.row?.holder).toBe('engine-b');
  });

  it("lets a crashed engine's lease expire within the TTL", async () => {
    const clock = new FakeClock();
    const leases = memoryLeases(clock);
    const lost: string[] = [];
    // a crashed engine left its row behind and renews nothing any more
    leases.row = {
      profileId: 'p',
      holder: 'crashed',
      expiresAt: new Date(clock.now().getTime() + 10_000).toISOString(),
    };
    const b = keeper(clock, leases, 'next', lost);
    await expect(b.acquire()).rejects.toBeInstanceOf(LeaseHeldError);
    await clock.advance(10_000);
    await b.acquire();
    expect(leases.row?.holder).toBe('next');
  });

  it('reports the lease lost when another holder took it, and when renewals fail past expiry', async () => {
    const clock = new FakeClock();
    const leases = memoryLeases(clock);
    const lost: string[] = [];
    await keeper(clock, leases, 'a', lost).acquire();
    leases.row = { profileId: 'p', holder: 'intruder', expiresAt: '2100-01-01T00:00:00Z' };
    await tick(clock, 3_500);
    expect(lost).toEqual(['another engine took the profile lease']);

    const lost2: string[] = [];
    const leases2 = memoryLeases(clock);
    await keeper(clock, leases2, 'b', lost2).acquire();
    leases2.fail = true;
    await tick(clock, 9_000);
    expect(lost2).toEqual([]);
    await tick(clock, 3_000);
    expect(lost2).toEqual(['the profile lease expired while the database was unreachable']);
  });
});
