import { expect, it } from 'vitest';
import { at, makeCommand, makeDraft, T0 } from './fixtures.js';
import { describeStore, newProfile } from './store-harness.js';

await describeStore('store: commands', (h) => {
  it('stores a queued command and reads it back', async () => {
    const profile = newProfile();
    const command = makeCommand(profile, { idempotencyKey: 'k-1', expiresAt: at(30) });
    expect(await h.store.commands.create(command)).toEqual({ command, created: true });
    expect(await h.store.commands.get(profile, command.id)).toEqual(command);
    expect(await h.store.commands.get(profile, 'missing')).toBeNull();
  });

  it('returns the existing command for a reused idempotency key', async () => {
    const profile = newProfile();
    const first = makeCommand(profile, { idempotencyKey: 'same' });
    await h.store.commands.create(first);
    const again = await h.store.commands.create(makeCommand(profile, { idempotencyKey: 'same' }));
    expect(again).toEqual({ command: first, created: false });
    const otherProfile = await h.store.commands.create(makeCommand(newProfile(), { idempotencyKey: 'same' }));
    expect(otherProfile.created).toBe(true);
  });

  it('creates one command when requests with one idempotency key race', async () => {
    const profile = newProfile();
    const attempts = [1, 2, 3, 4, 5, 6].map(() => makeCommand(profile, { idempotencyKey: 'race' }));
    const results = await Promise.all(attempts.map((c) => h.store.commands.create(c)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.command.id)).size).toBe(1);
    expect(await h.store.commands.list(profile)).toHaveLength(1);
  });

  it('allows any number of commands without an idempotency key', async () => {
    const profile = newProfile();
    await h.store.commands.create(makeCommand(profile));
    await h.store.commands.create(makeCommand(profile));
    expect(await h.store.commands.list(profile)).toHaveLength(2);
  });

  it('returns the stored command when the same command id is created twice', async () => {
    const profile = newProfile();
    const command = makeCommand(profile);
    await h.store.commands.create(command);
    expect(await h.store.commands.create({ ...command, actor: 'bob' })).toEqual({ command, created: false });
  });

  it('claims a queued or running command and counts the attempts', async () => {
    const profile = newProfile();
    const command = makeCommand(profile);
    await h.store.commands.create(command);
    const first = await h.store.commands.claim(profile, command.id, at(1));
    expect(first).toMatchObject({ status: 'running', attempts: 1, startedAt: at(1), updatedAt: at(1) });
    const redelivered = await h.store.commands.claim(profile, command.id, at(2));
    expect(redelivered).toMatchObject({ status: 'running', attempts: 2, startedAt: at(2) });
    expect(await h.store.commands.claim(profile, 'missing', at(2))).toBeNull();
  });

  it('does not claim a terminal command', async () => {
    const profile = newProfile();
    const command = makeCommand(profile);
    await h.store.commands.create(command);
    await h.store.commands.finish(
      profile,
      command.id,
      { status: 'expired', error: { code: 'E', message: 'late' } },
      at(1),
    );
    expect(await h.store.commands.claim(profile, command.id, at(2))).toBeNull();
  });

  it('records a terminal outcome exactly once', async () => {
    const profile = newProfile();
    const command = makeCommand(profile);
    await h.store.commands.create(command);
    await h.store.commands.claim(profile, command.id, at(1));
    const outcomes = await Promise.all([
      h.store.commands.finish(
        profile,
        command.id,
        { status: 'succeeded', result: { orderId: 'o-1' } },
        at(2),
      ),
      h.store.commands.finish(
        profile,
        command.id,
        { status: 'failed', error: { code: 'X', message: 'x' } },
        at(3),
      ),
    ]);
    expect(outcomes.filter((o) => o !== null)).toHaveLength(1);
    const stored = await h.store.commands.get(profile, command.id);
    expect(stored).toEqual(outcomes.find((o) => o !== null));
    expect(
      await h.store.commands.finish(profile, 'missing', { status: 'succeeded', result: {} }, at(4)),
    ).toBeNull();
  });

  it('stores the result and error of a finished command', async () => {
    const profile = newProfile();
    const ok = makeCommand(profile);
    const bad = makeCommand(profile);
    for (const c of [ok, bad]) {
      await h.store.commands.create(c);
      await h.store.commands.claim(profile, c.id, at(1));
    }
    const done = await h.store.commands.finish(
      profile,
      ok.id,
      { status: 'succeeded', result: { n: 1 } },
      at(2),
    );
    expect(done).toMatchObject({ status: 'succeeded', result: { n: 1 }, error: null, finishedAt: at(2) });
    const err = { code: 'BROKER_REJECTED', message: 'insufficient buying power' };
    const failed = await h.store.commands.finish(profile, bad.id, { status: 'rejected', error: err }, at(2));
    expect(failed).toMatchObject({ status: 'rejected', result: null, error: err, finishedAt: at(2) });
  });

  it('refuses a transition the lifecycle forbids (queued -> succeeded)', async () => {
    const profile = newProfile();
    const command = makeCommand(profile);
    await h.store.commands.create(command);
    await expect(
      h.store.commands.finish(profile, command.id, { status: 'succeeded', result: {} }, at(1)),
    ).rejects.toThrow(/queued -> succeeded is not allowed/);
  });

  it('lists commands newest first by status, type and limit', async () => {
    const profile = newProfile();
    const c1 = makeCommand(profile, { createdAt: at(1) });
    const c2 = makeCommand(profile, { createdAt: at(2), type: 'kill_switch' });
    const c3 = makeCommand(profile, { createdAt: at(3) });
    for (const c of [c1, c2, c3]) await h.store.commands.create(c);
    await h.store.commands.claim(profile, c3.id, at(4));
    const ids = (list: { id: string }[]) => list.map((c) => c.id);
    expect(ids(await h.store.commands.list(profile))).toEqual([c3.id, c2.id, c1.id]);
    expect(ids(await h.store.commands.list(profile, { status: 'queued' }))).toEqual([c2.id, c1.id]);
    expect(ids(await h.store.commands.list(profile, { type: 'kill_switch' }))).toEqual([c2.id]);
    expect(ids(await h.store.commands.list(profile, { limit: 2 }))).toEqual([c3.id, c2.id]);
  });

  it('lists commands oldest first on request, with filters and limit', async () => {
    const profile = newProfile();
    const c1 = makeCommand(profile, { createdAt: at(1) });
    const c2 = makeCommand(profile, { createdAt: at(2), type: 'kill_switch' });
    const c3 = makeCommand(profile, { createdAt: at(3) });
    for (const c of [c3, c1, c2]) await h.store.commands.create(c);
    await h.store.commands.claim(profile, c1.id, at(4));
    const ids = (list: { id: string }[]) => list.map((c) => c.id);
    expect(ids(await h.store.commands.list(profile, { order: 'oldest' }))).toEqual([c1.id, c2.id, c3.id]);
    expect(
      ids(await h.store.commands.list(profile, { order: 'oldest', status: 'queued', limit: 1 })),
    ).toEqual([c2.id]);
    expect(ids(await h.store.commands.list(profile, { order: 'newest', limit: 1 }))).toEqual([c3.id]);
  });

  it('rejects a queued command only while nobody has claimed it', async () => {
    const profile = newProfile();
    const queued = makeCommand(profile, { createdAt: at(1) });
    const claimed = makeCommand(profile, { createdAt: at(2) });
    for (const c of [queued, claimed]) await h.store.commands.create(c);
    await h.store.commands.claim(profile, claimed.id, at(3));
    const error = { code: 'bus_unavailable', message: 'the command bus refused the command' };
    const rejected = await h.store.commands.rejectQueued(profile, queued.id, error, at(4));
    expect(rejected).toMatchObject({ status: 'rejected', error, finishedAt: at(4) });
    const untouched = await h.store.commands.rejectQueued(profile, claimed.id, error, at(4));
    expect(untouched).toMatchObject({ status: 'running', error: null });
    expect(await h.store.commands.rejectQueued(profile, 'missing', error, at(4))).toBeNull();
  });

  it('counts commands by type and status, per profile', async () => {
    const profile = newProfile();
    const c1 = makeCommand(profile, { createdAt: at(1) });
    const c2 = makeCommand(profile, { createdAt: at(2) });
    const c3 = makeCommand(profile, { createdAt: at(3), type: 'kill_switch' });
    for (const c of [c1, c2, c3]) await h.store.commands.create(c);
    await h.store.commands.create(makeCommand(newProfile()));
    await h.store.commands.claim(profile, c1.id, at(4));
    const counts = await h.store.commands.counts(profile);
    const sorted = [...counts].sort((a, b) => `${a.type}${a.status}`.localeCompare(`${b.type}${b.status}`));
    expect(sorted).toEqual([
      { type: 'kill_switch', status: 'queued', count: 1 },
      { type: 'submit_order', status: 'queued', count: 1 },
      { type: 'submit_order', status: 'running', count: 1 },
    ]);
  });
});

await describeStore('store: drafts and trading state', (h) => {
  it('stores a draft and reads it back', async () => {
    const profile = newProfile();
    const draft = makeDraft(profile);
    await h.store.drafts.create(draft);
    expect(await h.store.drafts.get(profile, draft.id)).toEqual(draft);
    expect(await h.store.drafts.get(profile, 'missing')).toBeNull();
  });

  it('confirms a staged draft exactly once', async () => {
    const profile = newProfile();
    const draft = makeDraft(profile);
    await h.store.drafts.create(draft);
    const results = await Promise.all([
      h.store.drafts.confirm(profile, draft.id, 'cmd-1'),
      h.store.drafts.confirm(profile, draft.id, 'cmd-2'),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? 'cmd-1' : 'cmd-2';
    expect(await h.store.drafts.get(profile, draft.id)).toMatchObject({
      status: 'confirmed',
      commandId: winner,
    });
  });

  it('does not confirm a draft that is no longer staged', async () => {
    const profile = newProfile();
    const draft = makeDraft(profile);
    await h.store.drafts.create(draft);
    await h.store.drafts.setStatus(profile, draft.id, 'expired');
    expect(await h.store.drafts.confirm(profile, draft.id, 'cmd-1')).toBe(false);
    expect(await h.store.drafts.get(profile, draft.id)).toMatchObject({ status: 'expired', commandId: null });
    expect(await h.store.drafts.confirm(profile, 'missing', 'cmd-1')).toBe(false);
  });

  it('keeps one trading state per profile, replaced on each change', async () => {
    const profile = newProfile();
    expect(await h.store.tradingState.get(profile)).toBeNull();
    const halted = {
      profileId: profile,
      state: 'HALTED' as const,
      reason: 'kill switch',
      changedBy: 'alice',
      changedAt: T0,
    };
    await h.store.tradingState.set(halted);
    expect(await h.store.tradingState.get(profile)).toEqual(halted);
    const active = { ...halted, state: 'ACTIVE' as const, reason: 're-arm', changedAt: at(60) };
    await h.store.tradingState.set(active);
    expect(await h.store.tradingState.get(profile)).toEqual(active);
  });
});
