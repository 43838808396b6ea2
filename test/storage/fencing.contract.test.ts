import { expect, it } from 'vitest';
import type { TradingStateRecord } from '../../src/core/trading-state.js';
import { type Fence, StaleFenceError, type Store } from '../../src/ports/store.js';
import { at, makeCommand } from './fixtures.js';
import { describeStore, newProfile } from './store-harness.js';

/** Takes the profile lease for `holder` and returns its fence. */
async function fenceFor(store: Store, profileId: string, holder: string, ttlMs = 30_000): Promise<Fence> {
  const grant = await store.leases.take(profileId, holder, ttlMs);
  if (grant === null) throw new Error(`${holder} did not get the lease`);
  return { holder, token: grant.token };
}

/** A fence that held once: engine-a's, after engine-b took the expired lease over. */
async function staleFence(store: Store, profileId: string): Promise<{ stale: Fence; current: Fence }> {
  const stale = await fenceFor(store, profileId, 'engine-a', 20);
  for (;;) {
    const grant = await store.leases.take(profileId, 'engine-b', 30_000);
    if (grant !== null) return { stale, current: { holder: 'engine-b', token: grant.token } };
    await new Promise((r) => setTimeout(r, 5));
  }
}

const halted = (profileId: string, changedAt: string): TradingStateRecord => ({
  profileId,
  state: 'HALTED',
  reason: 'kill switch',
  changedBy: 'alice',
  changedAt,
});

await describeStore('store: fenced writes', (h) => {
  it('claims and finishes a command under a fence that holds', async () => {
    const profile = newProfile();
    const fence = await fenceFor(h.store, profile, 'engine-a');
    const command = makeCommand(profile);
    await h.store.commands.create(command);
    const claimed = await h.store.commands.claim(profile, command.id, at(1), fence);
    expect(claimed).toMatchObject({ status: 'running', attempts: 1 });
    const done = await h.store.commands.finish(
      profile,
      command.id,
      { status: 'succeeded', result: { ok: true } },
      at(2),
      fence,
    );
    expect(done).toMatchObject({ status: 'succeeded' });
    // Terminal: null as without a fence, not a fence error.
    expect(await h.store.commands.claim(profile, command.id, at(3), fence)).toBeNull();
    expect(
      await h.store.commands.finish(profile, command.id, { status: 'succeeded', result: {} }, at(3), fence),
    ).toBeNull();
    expect(await h.store.commands.claim(profile, 'missing', at(3), fence)).toBeNull();
  });

  it('refuses a claim with a stale fence and changes nothing', async () => {
    const profile = newProfile();
    const { stale, current } = await staleFence(h.store, profile);
    const command = makeCommand(profile);
    await h.store.commands.create(command);
    const error = await h.store.commands.claim(profile, command.id, at(1), stale).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleFenceError);
    expect(await h.store.commands.get(profile, command.id)).toEqual(command);
    expect(await h.store.commands.claim(profile, command.id, at(1), current)).toMatchObject({
      status: 'running',
    });
  });

  it('refuses a finish with a stale fence and changes nothing', async () => {
    const profile = newProfile();
    const { stale, current } = await staleFence(h.store, profile);
    const command = makeCommand(profile);
    await h.store.commands.create(command);
    const running = await h.store.commands.claim(profile, command.id, at(1), current);
    await expect(
      h.store.commands.finish(profile, command.id, { status: 'succeeded', result: {} }, at(2), stale),
    ).rejects.toBeInstanceOf(StaleFenceError);
    expect(await h.store.commands.get(profile, command.id)).toEqual(running);
  });

  it('refuses a fenced write from a holder whose lease was released', async () => {
    const profile = newProfile();
    const fence = await fenceFor(h.store, profile, 'engine-a');
    await h.store.leases.release(profile, 'engine-a');
    const command = makeCommand(profile);
    await h.store.commands.create(command);
    await expect(h.store.commands.claim(profile, command.id, at(1), fence)).rejects.toBeInstanceOf(
      StaleFenceError,
    );
    await expect(h.store.tradingState.set(halted(profile, at(1)), fence)).rejects.toBeInstanceOf(
      StaleFenceError,
    );
    expect(await h.store.tradingState.get(profile)).toBeNull();
  });

  it('stores the trading state under a fence that holds, inserting then replacing', async () => {
    const profile = newProfile();
    const fence = await fenceFor(h.store, profile, 'engine-a');
    await h.store.tradingState.set(halted(profile, at(1)), fence);
    expect(await h.store.tradingState.get(profile)).toEqual(halted(profile, at(1)));
    const active = { ...halted(profile, at(2)), state: 'ACTIVE' as const, reason: 're-arm' };
    await h.store.tradingState.set(active, fence);
    expect(await h.store.tradingState.get(profile)).toEqual(active);
  });

  it('refuses a trading-state change with a stale fence and changes nothing', async () => {
    const profile = newProfile();
    const { stale, current } = await staleFence(h.store, profile);
    await expect(h.store.tradingState.set(halted(profile, at(1)), stale)).rejects.toBeInstanceOf(
      StaleFenceError,
    );
    expect(await h.store.tradingState.get(profile)).toBeNull();
    await h.store.tradingState.set(halted(profile, at(1)), current);
    const active = { ...halted(profile, at(2)), state: 'ACTIVE' as const };
    await expect(h.store.tradingState.set(active, stale)).rejects.toBeInstanceOf(StaleFenceError);
    expect(await h.store.tradingState.get(profile)).toEqual(halted(profile, at(1)));
  });

  it('refuses fenced writes inside a transaction and rolls nothing half-way', async () => {
    const profile = newProfile();
    const { stale } = await staleFence(h.store, profile);
    const command = makeCommand(profile);
    await h.store.commands.create(command);
    await expect(
      h.store.transaction(async (tx) => {
        await tx.tradingState.set(halted(profile, at(1)));
        await tx.commands.claim(profile, command.id, at(1), stale);
      }),
    ).rejects.toBeInstanceOf(StaleFenceError);
    expect(await h.store.tradingState.get(profile)).toBeNull();
    expect(await h.store.commands.get(profile, command.id)).toEqual(command);
  });
});
