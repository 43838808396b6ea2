/**
 * The CommandBus contract: every bus adapter (Redis Streams, embedded) must pass these tests.
 * Each factory call returns a fresh bus on its own queue name, tuned for quick redelivery.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandBus, CommandEnvelope, Delivery } from '../../src/ports/command-bus.js';

export interface BusFactoryOptions {
  claimIdleMs: number;
  maxDeliveries: number;
}

export type BusFactory = (options: BusFactoryOptions) => Promise<{
  bus: CommandBus;
  /** Another bus instance on the same queue (a second process). */
  twin: () => Promise<CommandBus>;
  /** Entries moved to the dead-letter place for a profile. */
  deadLetters: (profileId: string) => Promise<string[]>;
}>;

function envelope(profileId = 'p1', type = 'submit_order'): CommandEnvelope {
  return { commandId: randomUUID(), profileId, type, enqueuedAt: new Date().toISOString() };
}

async function waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A control command for proving that something was NOT redelivered: its handler fails its first
 * delivery, so it comes back only once its visibility timeout (claimIdleMs) has passed and the bus
 * has gone looking for idle entries. Any older entry still unacknowledged would have been idle
 * longer and found first (both buses reclaim oldest first), so once the canary is back, a
 * redelivery that has not happened is not going to.
 */
function canary() {
  const e = envelope();
  let deliveries = 0;
  return {
    envelope: e,
    /** True when `d` was the canary's delivery (the caller's handler then ignores it). */
    handle(d: Delivery): boolean {
      if (d.envelope.commandId !== e.commandId) return false;
      deliveries += 1;
      if (deliveries === 1) throw new Error('canary: fails its first delivery');
      return true;
    },
    back: () => deliveries >= 2,
  };
}

export function commandBusContract(name: string, factory: BusFactory): void {
  describe(`CommandBus contract: ${name}`, () => {
    const open: CommandBus[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((b) => b.close()));
    });

    async function make(options: Partial<BusFactoryOptions> = {}) {
      const made = await factory({ claimIdleMs: 300, maxDeliveries: 3, ...options });
      open.push(made.bus);
      return {
        ...made,
        twin: async () => {
          const t = await made.twin();
          open.push(t);
          return t;
        },
      };
    }

    it('delivers a published command once and does not redeliver it after success', async () => {
      const { bus } = await make();
      const seen: Delivery[] = [];
      const control = canary();
      bus.consume('p1', 'c1', async (d) => {
        if (control.handle(d)) return;
        seen.push(d);
      });
      const e = envelope();
      await bus.publish(e);
      await waitFor(() => seen.length === 1);
      await bus.publish(control.envelope);
      await waitFor(() => control.back(), 8_000);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toEqual({ envelope: e, deliveryCount: 1 });
    });

    it('delivers commands published before the consumer started, in order', async () => {
      const { bus } = await make();
      const sent = [envelope(), envelope(), envelope()];
      for (const e of sent) await bus.publish(e);
      const got: string[] = [];
      bus.consume('p1', 'c1', async (d) => {
        got.push(d.envelope.commandId);
      });
      await waitFor(() => got.length === 3);
      expect(got).toEqual(sent.map((e) => e.commandId));
    });

    it("keeps each profile's commands to that profile's consumers", async () => {
      const { bus } = await make();
      const p1: string[] = [];
      const p2: string[] = [];
      bus.consume('p1', 'c1', async (d) => {
        p1.push(d.envelope.profileId);
      });
      bus.consume('p2', 'c2', async (d) => {
        p2.push(d.envelope.profileId);
      });
      await bus.publish(envelope('p1'));
      await bus.publish(envelope('p2'));
      await bus.publish(envelope('p2'));
      await waitFor(() => p1.length === 1 && p2.length === 2);
      expect(p1).toEqual(['p1']);
      expect(p2).toEqual(['p2', 'p2']);
    });

    it('redelivers a command whose handler failed, counting deliveries', async () => {
      const { bus } = await make();
      const counts: number[] = [];
      bus.consume('p1', 'c1', async (d) => {
        counts.push(d.deliveryCount);
        if (d.deliveryCount < 2) throw new Error('transient');
      });
      await bus.publish(envelope());
      await waitFor(() => counts.length === 2);
      expect(counts).toEqual([1, 2]);
    });

    it('reclaims a command from a consumer killed mid-command, and it takes effect exactly once', async () => {
      const { bus, twin } = await make();
      const effects = new Map<string, number>();
      const finished = new Set<string>();
      // The engine's handler: dedupe on the command id, effect once, then acknowledge.
      const engineHandler = async (d: Delivery) => {
        if (finished.has(d.envelope.commandId)) return;
        effects.set(d.envelope.commandId, (effects.get(d.envelope.commandId) ?? 0) + 1);
        finished.add(d.envelope.commandId);
      };
      let started = false;
      const dying = bus.consume('p1', 'dying', async () => {
        started = true;
        await new Promise(() => {}); // hangs: the process dies before storing a result
      });
      const e = envelope();
      await bus.publish(e);
      await waitFor(() => started);
      await dying.stop();
      const survivor = await twin();
      const control = canary();
      const deliveries = new Map<string, number>();
      survivor.consume('p1', 'survivor', async (d) => {
        if (control.handle(d)) return;
        deliveries.set(d.envelope.commandId, (deliveries.get(d.envelope.commandId) ?? 0) + 1);
        await engineHandler(d);
      });
      await waitFor(() => effects.size === 1, 8_000);
      await survivor.publish(control.envelope);
      await waitFor(() => control.back(), 8_000);
      expect(effects.get(e.commandId)).toBe(1);
      expect(deliveries.get(e.commandId)).toBe(1); // reclaimed once, acknowledged, never again
    });

    it('moves a command that keeps failing to the dead letters after maxDeliveries', async () => {
      const { bus, deadLetters } = await make({ maxDeliveries: 2 });
      let calls = 0;
      bus.consume('p1', 'c1', async () => {
        calls += 1;
        throw new Error('always fails');
      });
      const e = envelope();
      await bus.publish(e);
      await waitFor(() => calls >= 2, 8_000);
      let dead: string[] = [];
      for (let i = 0; i < 80 && dead.length === 0; i += 1) {
        dead = await deadLetters('p1');
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(dead).toEqual([e.commandId]);
      expect(calls).toBe(2);
    });

    it('reports itself healthy while it can accept commands', async () => {
      const { bus } = await make();
      expect(await bus.healthy()).toBe(true);
    });
  });
}
