import { expect, it } from 'vitest';
import { compareTimestamps, timestampMs } from '../../src/core/time.js';
import { type Fence, type LeaseGrant, StaleFenceError, type Store } from '../../src/ports/store.js';
import { describeStore, newProfile } from './store-harness.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Waits (polling the store's own clock) until the store considers `grant` expired. */
async function untilExpired(store: Store, grant: LeaseGrant): Promise<void> {
  while (compareTimestamps(await store.now(), grant.expiresAt) <= 0) {
    await new Promise((r) => setTimeout(r, 5));
  }
}

function granted(grant: LeaseGrant | null): LeaseGrant {
  if (grant === null) throw new Error('expected the lease to be granted');
  return grant;
}

await describeStore('store: lease and fencing token', (h) => {
  it('grants a free lease with token 1, renews it keeping the token, and refuses another holder', async () => {
    const profile = newProfile();
    expect(await h.store.leases.get(profile)).toBeNull();
    const first = granted(await h.store.leases.take(profile, 'engine-a', 30_000));
    expect(first.token).toBe(1);
    expect(first.expiresAt).toMatch(ISO_MS);
    const renewed = granted(await h.store.leases.take(profile, 'engine-a', 30_000));
    expect(renewed.token).toBe(1);
    expect(compareTimestamps(renewed.expiresAt, first.expiresAt)).toBeGreaterThanOrEqual(0);
    expect(await h.store.leases.take(profile, 'engine-b', 30_000)).toBeNull();
    expect(await h.store.leases.get(profile)).toEqual({
      profileId: profile,
      holder: 'engine-a',
      expiresAt: renewed.expiresAt,
      token: 1,
    });
  });

  it('sets the expiry from the store clock plus the ttl', async () => {
    const profile = newProfile();
    const before = timestampMs(await h.store.now());
    const grant = granted(await h.store.leases.take(profile, 'engine-a', 30_000));
    const after = timestampMs(await h.store.now());
    const expiresMs = timestampMs(grant.expiresAt);
    expect(expiresMs).toBeGreaterThanOrEqual(before + 30_000);
    expect(expiresMs).toBeLessThanOrEqual(after + 30_000);
  });

  it('increments the token when another holder takes an expired lease', async () => {
    const profile = newProfile();
    const a = granted(await h.store.leases.take(profile, 'engine-a', 20));
    await untilExpired(h.store, a);
    const b = granted(await h.store.leases.take(profile, 'engine-b', 30_000));
    expect(b.token).toBe(2);
    expect(await h.store.leases.get(profile)).toMatchObject({ holder: 'engine-b', token: 2 });
    // The former holder cannot renew what it lost.
    expect(await h.store.leases.take(profile, 'engine-a', 30_000)).toBeNull();
  });

  it('increments the token when the same holder takes its own lease back after it expired', async () => {
    const profile = newProfile();
    const a = granted(await h.store.leases.take(profile, 'engine-a', 20));
    await untilExpired(h.store, a);
    expect(granted(await h.store.leases.take(profile, 'engine-a', 30_000)).token).toBe(2);
  });

  it('releases only our own lease, and the token never goes back after a release', async () => {
    const profile = newProfile();
    granted(await h.store.leases.take(profile, 'engine-a', 30_000));
    await h.store.leases.release(profile, 'engine-b');
    expect(await h.store.leases.get(profile)).toMatchObject({ holder: 'engine-a', token: 1 });
    await h.store.leases.release(profile, 'engine-a');
    expect(await h.store.leases.get(profile)).toBeNull();
    expect(granted(await h.store.leases.take(profile, 'engine-b', 30_000)).token).toBe(2);
    await h.store.leases.release(profile, 'engine-b');
    // Released and taken again by the same holder: still a takeover.
    expect(granted(await h.store.leases.take(profile, 'engine-b', 30_000)).token).toBe(3);
    expect(granted(await h.store.leases.take(profile, 'engine-b', 30_000)).token).toBe(3);
  });

  it('grants a contested free lease to exactly one of two racing holders', async () => {
    const other = h.shared ? await h.openSecond() : h.store;
    for (let round = 0; round < 5; round++) {
      const profile = newProfile();
      const results = await Promise.all([
        h.store.leases.take(profile, 'engine-a', 30_000),
        other.leases.take(profile, 'engine-b', 30_000),
      ]);
      expect(results.filter((r) => r !== null)).toEqual([{ token: 1, expiresAt: expect.any(String) }]);
    }
  });

  it('hands an expired lease to exactly one of two racing holders, with one increment', async () => {
    const other = h.shared ? await h.openSecond() : h.store;
    const profile = newProfile();
    const old = granted(await h.store.leases.take(profile, 'engine-old', 20));
    await untilExpired(h.store, old);
    const results = await Promise.all([
      h.store.leases.take(profile, 'engine-a', 30_000),
      other.leases.take(profile, 'engine-b', 30_000),
    ]);
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.token).toBe(2);
  });

  it('guards with the durable trading state while the fence holds', async () => {
    const profile = newProfile();
    const { token } = granted(await h.store.leases.take(profile, 'engine-a', 30_000));
    const fence = { holder: 'engine-a', token };
    expect(await h.store.leases.guard(profile, fence)).toBe('ACTIVE');
    await h.store.tradingState.set({
      profileId: profile,
      state: 'HALTED',
      reason: 'kill switch',
      changedBy: 'alice',
      changedAt: await h.store.now(),
    });
    expect(await h.store.leases.guard(profile, fence)).toBe('HALTED');
  });

  it('refuses a guard for an old token, another holder, an expired lease, a released lease or none', async () => {
    const profile = newProfile();
    const refused = async (p: string, fence: Fence) => {
      const error = await h.store.leases.guard(p, fence).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StaleFenceError);
      expect(error).toMatchObject({ profileId: p, fence });
    };
    await refused(profile, { holder: 'engine-a', token: 1 }); // no lease at all
    const a = granted(await h.store.leases.take(profile, 'engine-a', 20));
    await untilExpired(h.store, a);
    await refused(profile, { holder: 'engine-a', token: a.token }); // expired
    const b = granted(await h.store.leases.take(profile, 'engine-b', 30_000));
    await refused(profile, { holder: 'engine-a', token: a.token }); // old token, other holder now
    await refused(profile, { holder: 'engine-a', token: b.token }); // another holder's token
    await refused(profile, { holder: 'engine-b', token: a.token }); // right holder, old token
    expect(await h.store.leases.guard(profile, { holder: 'engine-b', token: b.token })).toBe('ACTIVE');
    await h.store.leases.release(profile, 'engine-b');
    await refused(profile, { holder: 'engine-b', token: b.token }); // released
  });

  it('reads the store clock as a millisecond timestamp close to this host', async () => {
    const before = Date.now();
    const now = await h.store.now();
    const after = Date.now();
    expect(now).toMatch(ISO_MS);
    expect(timestampMs(now)).toBeGreaterThanOrEqual(before - 2_000);
    expect(timestampMs(now)).toBeLessThanOrEqual(after + 2_000);
  });
});
