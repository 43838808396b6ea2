import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/core/audit.js';
import type { Heartbeat } from '../../src/ports/store.js';
import { at, auditInput, makeCommand, makeFill, makeOrder, T0 } from './fixtures.js';
import { describeStore, newProfile } from './store-harness.js';

const execFileAsync = promisify(execFile);
const CHILD = fileURLToPath(new URL('./audit-append.child.ts', import.meta.url));

await describeStore('store: audit chain', (h) => {
  it('chains appended events from the genesis hash', async () => {
    const profile = newProfile();
    const first = await h.store.audit.append(auditInput(profile, { data: { a: [1, { b: null }] } }));
    const second = await h.store.audit.append(auditInput(profile, { at: at(1), reason: 'why' }));
    expect(first.seq).toBe(1);
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    const events = await h.store.audit.list(profile);
    expect(events).toEqual([first, second]);
    expect(verifyAuditChain(events)).toBeNull();
  });

  it('records the tip with every append, per profile', async () => {
    const profile = newProfile();
    expect(await h.store.audit.recordedHead(profile)).toBeNull();
    await h.store.audit.append(auditInput(profile));
    const second = await h.store.audit.append(auditInput(profile, { at: at(1) }));
    expect(await h.store.audit.recordedHead(profile)).toEqual({ seq: 2, hash: second.hash });
    expect(await h.store.audit.recordedHead(newProfile())).toBeNull();
  });

  it('does not fork the chain under concurrent appends', async () => {
    const profile = newProfile();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => h.store.audit.append(auditInput(profile, { data: { i } }))),
    );
    const events = await h.store.audit.list(profile);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(verifyAuditChain(events)).toBeNull();
  });

  it('does not fork the chain when two processes append at once', async (ctx) => {
    // A second process cannot open sqlite::memory: (each handle is its own database).
    if (!h.shared) ctx.skip();
    const profile = newProfile();
    if (h.target === 'postgres') {
      // pg is asynchronous: a second pool in this process is a real concurrent client.
      const other = await h.openSecond();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? other : h.store).audit.append(auditInput(profile))),
      );
    } else {
      // better-sqlite3 blocks its thread while waiting for a lock: use real processes.
      const child = (n: number) =>
        execFileAsync(process.execPath, ['--import', 'tsx', CHILD, h.url, profile, String(n)]);
      await Promise.all([
        child(15),
        child(15),
        ...Array.from({ length: 10 }, () => h.store.audit.append(auditInput(profile))),
      ]);
    }
    const events = await h.store.audit.list(profile);
    expect(events.length).toBe(h.target === 'postgres' ? 20 : 40);
    expect(verifyAuditChain(events)).toBeNull();
  });

  it('keeps one chain per profile', async () => {
    const [a, b] = [newProfile(), newProfile()];
    await h.store.audit.append(auditInput(a));
    const firstOfB = await h.store.audit.append(auditInput(b));
    expect(firstOfB.seq).toBe(1);
  });

  it('lists events in chain order by action, actor, correlation, time range, afterSeq and limit', async () => {
    const profile = newProfile();
    await h.store.audit.append(auditInput(profile, { at: at(0), action: 'draft.create' }));
    await h.store.audit.append(auditInput(profile, { at: at(1), actor: 'bob', correlationId: 'c-1' }));
    await h.store.audit.append(auditInput(profile, { at: at(2), action: 'kill_switch' }));
    const seqs = async (q: Parameters<typeof h.store.audit.list>[1]) =>
      (await h.store.audit.list(profile, q)).map((e) => e.seq);
    expect(await seqs({ action: 'kill_switch' })).toEqual([3]);
    expect(await seqs({ actor: 'bob' })).toEqual([2]);
    expect(await seqs({ correlationId: 'c-1' })).toEqual([2]);
    expect(await seqs({ since: at(1), until: at(1) })).toEqual([2]);
    expect(await seqs({ afterSeq: 1, limit: 1 })).toEqual([2]);
  });
});

// The lease and its fencing token: test/storage/lease.contract.test.ts.
await describeStore('store: heartbeat, watermarks', (h) => {
  it('keeps the latest heartbeat per profile', async () => {
    const profile = newProfile();
    expect(await h.store.heartbeats.read(profile)).toBeNull();
    const beat: Heartbeat = {
      profileId: profile,
      environment: 'paper',
      holder: 'engine-a',
      version: '0.1.0',
      streamState: 'connected',
      lastEventAt: null,
      lastSyncAt: T0,
      lagMs: 12,
      at: T0,
      detail: { reconnects: 0 },
    };
    await h.store.heartbeats.write(beat);
    expect(await h.store.heartbeats.read(profile)).toEqual(beat);
    const next = { ...beat, streamState: 'reconnecting', lastEventAt: at(1), lagMs: null, at: at(5) };
    await h.store.heartbeats.write(next);
    expect(await h.store.heartbeats.read(profile)).toEqual(next);
  });

  it('stores named watermarks per profile', async () => {
    const profile = newProfile();
    expect(await h.store.watermarks.get(profile, 'orders.since')).toBeNull();
    await h.store.watermarks.set(profile, 'orders.since', T0);
    await h.store.watermarks.set(profile, 'orders.since', at(1));
    expect(await h.store.watermarks.get(profile, 'orders.since')).toBe(at(1));
    expect(await h.store.watermarks.get(newProfile(), 'orders.since')).toBeNull();
  });
});

await describeStore('store: transactions', (h) => {
  it('commits every repository write of a transaction together', async () => {
    const profile = newProfile();
    const order = makeOrder();
    const value = await h.store.transaction(async (tx) => {
      await tx.orders.apply(profile, order);
      await tx.fills.insert(profile, makeFill({ orderId: order.id }));
      await tx.audit.append(auditInput(profile));
      return 'done';
    });
    expect(value).toBe('done');
    expect(await h.store.orders.get(profile, order.id)).toEqual(order);
    expect(await h.store.fills.list(profile)).toHaveLength(1);
    expect(await h.store.audit.list(profile)).toHaveLength(1);
  });

  it('rolls back everything when the work throws (nothing half-written)', async () => {
    const profile = newProfile();
    const order = makeOrder();
    const command = makeCommand(profile, { idempotencyKey: 'tx' });
    await expect(
      h.store.transaction(async (tx) => {
        await tx.orders.apply(profile, order);
        await tx.commands.create(command);
        await tx.positions.replaceAll(profile, [], T0);
        await tx.audit.append(auditInput(profile));
        await tx.watermarks.set(profile, 'k', 'v');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await h.store.orders.get(profile, order.id)).toBeNull();
    expect(await h.store.commands.get(profile, command.id)).toBeNull();
    expect(await h.store.audit.list(profile)).toEqual([]);
    expect(await h.store.watermarks.get(profile, 'k')).toBeNull();
    // The chain head rolled back too: the next append starts at seq 1.
    expect((await h.store.audit.append(auditInput(profile))).seq).toBe(1);
  });

  it('reports its dialect', () => {
    expect(h.store.dialect).toBe(h.target === 'postgres' ? 'postgres' : 'sqlite');
  });
});
