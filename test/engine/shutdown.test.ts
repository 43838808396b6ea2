// Stopping the engine settles the work it started without awaiting (the audit of a fill, a
// heartbeat beat) before it returns, so nothing writes to a store its owner is about to close.
// A command in flight at the stop (its order held inside the broker call) does not hold the stop
// up: it is left running, never half-written, and the next engine on the same store finishes it
// exactly once, with one order at the broker, whenever the stopped engine's call gets its answer.
import { afterEach, describe, expect, it } from 'vitest';
import type { Command } from '../../src/core/command.js';
import type { Order } from '../../src/core/order.js';
import type { OrderIntent } from '../../src/core/order-request.js';
import type { Broker } from '../../src/ports/broker.js';
import type { CommandBus, DeliveryHandler } from '../../src/ports/command-bus.js';
import type { Store } from '../../src/ports/store.js';
import {
  finishedCommand,
  nextEngine,
  PROFILE,
  type Rig,
  sendCommand,
  stageDraft,
  startRig,
  waitFor,
} from './harness.js';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

/** A store whose fill audits take `ms` to write, recording when each one finished. */
function slowFillAudits(ms: number, finished: number[]) {
  return (store: Store): Store => ({
    ...store,
    audit: {
      ...store.audit,
      append: async (event) => {
        if (event.action === 'fill.recorded') await new Promise((r) => setTimeout(r, ms));
        const result = await store.audit.append(event);
        if (event.action === 'fill.recorded') finished.push(Date.now());
        return result;
      },
    },
  });
}

describe('engine shutdown', () => {
  it('waits for a fill audit still being written before it returns', async () => {
    const finished: number[] = [];
    rig = await startRig({}, {}, {}, { store: slowFillAudits(400, finished) });
    await rig.engine.ready();
    await rig.engine.streamHealthy();
    const order = rig.sim.broker.submit({
      symbol: 'AAPL',
      qty: '1',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
    });
    await waitFor(async () => (await rig!.store.fills.list(PROFILE, { orderId: order.id })).length === 1);
    expect(finished).toHaveLength(0); // the audit is still in flight
    await rig.engine.stop();
    const stoppedAt = Date.now();
    expect(finished).toHaveLength(1);
    expect(finished[0]).toBeLessThanOrEqual(stoppedAt);
    const audits = await rig.store.audit.list(PROFILE, { action: 'fill.recorded' });
    expect(audits.map((a) => a.data.orderId)).toEqual([order.id]);
  });
});

type Answer = { order: Order } | { error: unknown };

/**
 * A broker whose first submitOrder waits, before it reaches the simulator, until `release()`: an
 * order request still on its way when the engine is told to stop. `answer` settles with what the
 * broker then said to it.
 */
function heldSubmit() {
  let entered = () => {};
  const atBroker = new Promise<void>((r) => {
    entered = r;
  });
  let release = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  let answered: (outcome: Answer) => void = () => {};
  const answer = new Promise<Answer>((r) => {
    answered = r;
  });
  let first = true;
  const wrap = (broker: Broker): Broker =>
    new Proxy(broker, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'submitOrder') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<Broker['submitOrder']>) => {
          if (!first) return target.submitOrder(...args);
          first = false;
          entered();
          await held;
          try {
            const order = await target.submitOrder(...args);
            answered({ order });
            return order;
          } catch (error) {
            answered({ error });
            throw error;
          }
        };
      },
    });
  return { wrap, atBroker, release, answer };
}

/** The engine's bus, with every delivery's handling tracked until it settles (acknowledged or not). */
function trackedBus() {
  const handling = new Set<Promise<void>>();
  const wrap = (bus: CommandBus): CommandBus => ({
    publish: (envelope) => bus.publish(envelope),
    healthy: () => bus.healthy(),
    close: () => bus.close(),
    consume: (profileId, name, handler: DeliveryHandler) =>
      bus.consume(profileId, name, (delivery) => {
        const work = handler(delivery);
        const settled = work.then(
          () => {},
          () => {},
        );
        handling.add(settled);
        void settled.finally(() => handling.delete(settled));
        return work;
      }),
  });
  return { wrap, settled: () => Promise.all([...handling]) };
}

/**
 * How long a stop may take with a command held at the broker: it must not wait for that command
 * (the broker may never answer), only for its own background work, which it bounds at 2 s
 * (SETTLE_MS in src/engine/engine.ts); the rest is closing the stream and a last heartbeat.
 */
const STOP_BOUND_MS = 5_000;

const intent: OrderIntent = {
  symbol: 'AAPL',
  side: 'buy',
  qty: '2',
  type: 'market',
  timeInForce: 'day',
  extendedHours: false,
};

async function brokerOrders(r: Rig, clientOrderId: string) {
  const all = await r.truth.listOrders({ status: 'all', after: '2000-01-01T00:00:00Z', limit: 500 });
  return all.filter((o) => o.clientOrderId === clientOrderId);
}

async function terminalAudits(r: Rig, commandId: string): Promise<string[]> {
  const events = await r.store.audit.list(PROFILE, { limit: 5000 });
  return events
    .filter(
      (e) => e.subjectId === commandId && /^command\.(succeeded|failed|rejected|expired)$/.test(e.action),
    )
    .map((e) => e.action);
}

/** Running, with nothing of an outcome written; or succeeded with the broker's one order. */
function leftWhole(c: Command | null, orderId: string | null): void {
  expect(c).not.toBeNull();
  if (c?.status === 'running') {
    expect(c.result).toBeNull();
    expect(c.error).toBeNull();
    expect(c.finishedAt).toBeNull();
  } else {
    expect(c?.status).toBe('succeeded');
    expect(c?.result).toMatchObject({ orderId });
  }
}

/** Starts a rig whose first order is held at the broker, submits one and stops the engine meanwhile. */
async function stopWithSubmitInFlight(
  held: ReturnType<typeof heldSubmit>,
  bus: ReturnType<typeof trackedBus>,
) {
  const r = await startRig({}, {}, {}, { broker: held.wrap, bus: bus.wrap });
  await r.engine.ready();
  await r.engine.streamHealthy();
  const payload = await stageDraft(r, intent);
  const clientOrderId = `ctr-draft-${payload.draftId}`;
  const id = await sendCommand(r, 'submit_order', payload);
  await held.atBroker;

  const started = Date.now();
  await r.engine.stop();
  expect(Date.now() - started).toBeLessThan(STOP_BOUND_MS);

  // Stopped while its order is still on the way: the command is left running for the next lease
  // holder, nothing of an outcome written, nothing at the broker yet, the lease given up.
  leftWhole(await r.store.commands.get(PROFILE, id), null);
  expect((await r.store.commands.get(PROFILE, id))?.status).toBe('running');
  expect(await terminalAudits(r, id)).toEqual([]);
  expect(await brokerOrders(r, clientOrderId)).toEqual([]);
  expect(await r.store.orders.getByClientOrderId(PROFILE, clientOrderId)).toBeNull();
  expect(await r.store.leases.get(PROFILE)).toBeNull();
  expect((await r.store.heartbeats.read(PROFILE))?.streamState).toBe('stopped');
  return { r, id, clientOrderId };
}

describe('engine shutdown with a command in flight', () => {
  it("the next engine places the order once; the stopped engine's late request places nothing more", async () => {
    const held = heldSubmit();
    const bus = trackedBus();
    const stopped = await stopWithSubmitInFlight(held, bus);
    rig = stopped.r;
    const { id, clientOrderId } = stopped;

    // The next engine resumes the command it finds running and places the order.
    rig = await nextEngine(rig);
    const done = await finishedCommand(rig, id, 15_000);
    expect(done.status).toBe('succeeded');
    const [placed, ...more] = await brokerOrders(rig, clientOrderId);
    expect(more).toEqual([]);
    expect(done.result).toMatchObject({ orderId: placed?.id, clientOrderId });

    // Now the stopped engine's request reaches the broker: the same client order id places
    // nothing new (the adapter answers the 422 with the order already there), and its handling,
    // which can no longer prove the lease, changes nothing that was recorded.
    held.release();
    expect(await held.answer).toEqual({ order: expect.objectContaining({ id: placed?.id }) });
    await bus.settled();
    expect(await brokerOrders(rig, clientOrderId)).toHaveLength(1);
    const after = await rig.store.commands.get(PROFILE, id);
    expect(after?.status).toBe('succeeded');
    expect(after?.result).toEqual(done.result);
    expect(after?.finishedAt).toBe(done.finishedAt);
    expect(await terminalAudits(rig, id)).toEqual(['command.succeeded']);
  }, 30_000);

  it("the stopped engine's request lands after the stop; the next engine finds that order instead of placing another", async () => {
    const held = heldSubmit();
    const bus = trackedBus();
    const stopped = await stopWithSubmitInFlight(held, bus);
    rig = stopped.r;
    const { id, clientOrderId } = stopped;

    // The request was already on its way: the broker takes it after the stop.
    held.release();
    const answer = await held.answer;
    await bus.settled();
    const [placed, ...more] = await brokerOrders(rig, clientOrderId);
    expect(more).toEqual([]);
    expect(answer).toEqual({ order: expect.objectContaining({ id: placed?.id }) });
    // The stopped engine no longer holds the lease: it could not record an outcome.
    leftWhole(await rig.store.commands.get(PROFILE, id), placed?.id ?? null);

    rig = await nextEngine(rig);
    const done = await finishedCommand(rig, id, 15_000);
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ orderId: placed?.id, clientOrderId });
    expect(await brokerOrders(rig, clientOrderId)).toHaveLength(1);
    expect(await terminalAudits(rig, id)).toEqual(['command.succeeded']);
  }, 30_000);
});
