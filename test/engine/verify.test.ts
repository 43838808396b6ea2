// The periodic reconciliation of a healthy stream verifies instead of re-reading: no scan of the
// orders the stream delivered while nothing is lost, and every kind of loss the stream can hide
// while connected (a fill inside a chain, a symbol's last fill, an order's final event) found as
// evidence, audited, and repaired by a deep re-read. Against the simulator, stream kept up.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderQuery } from '../../src/ports/broker.js';
import { order as orderFixture } from '../support/domain-fixtures.js';
import { type BrokerCall, recordingBroker } from '../support/recording-broker.js';
import {
  burst,
  PROFILE,
  type Rig,
  reconciliations,
  simPost,
  startRig,
  waitConverged,
  waitFor,
} from './harness.js';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

/**
 * A rig whose engine broker records every call into `calls`; the tests count reconciliations, so
 * they run twice as often as in the other engine suites (still well above syncMinIntervalMs).
 */
function startRecordedRig(seed: number, calls: BrokerCall[]): Promise<Rig> {
  return startRig(
    { seed },
    { pollIntervalMs: 500 },
    {},
    { broker: (broker) => recordingBroker(broker, calls).broker },
  );
}

async function lossEvidence(r: Rig) {
  const events = await r.store.audit.list(PROFILE, { action: 'reconcile.loss_detected' });
  return events.flatMap((e) => e.data.evidence as { kind: string; symbol: string }[]);
}

async function buy(r: Rig, symbol: string, qty = '1') {
  return r.sim.broker.submit({ symbol, qty, side: 'buy', type: 'market', time_in_force: 'day' });
}

const FINAL = new Set(['filled', 'canceled', 'expired', 'rejected']);

/**
 * Runs `fn` (which returns the id of the order it placed or cancelled) with every stream event
 * dropped, until the broker has that order in a final state: the simulator emits an order's
 * events as its state changes, so by then its last event has been sent (and lost).
 */
async function withEventsLost(r: Rig, fn: () => Promise<string>) {
  await simPost(r.sim, '/_sim/faults', { drop_event_rate: 1 });
  const id = await fn();
  await waitFor(
    async () => FINAL.has((await r.truth.getOrder(id))?.status ?? ''),
    10_000,
    `order ${id} final`,
  );
  await simPost(r.sim, '/_sim/faults', {});
}

describe('reconciliation of a healthy stream', () => {
  it('verifies the stream without re-reading the orders it delivered', async () => {
    const calls: BrokerCall[] = [];
    rig = await startRecordedRig(3, calls);
    const lists = () => calls.filter((c) => c.method === 'listOrders').map((c) => c.args[0] as OrderQuery);
    await rig.engine.ready();
    await rig.engine.streamHealthy();
    await reconciliations(rig, 1); // the first periodic run after startup
    calls.length = 0;
    const placed = burst(rig.sim, 30, ['AAPL', 'MSFT', 'NVDA']).length;
    const c = await waitConverged(rig.store, rig.truth);
    expect(c.ledgerFills).toBe(placed);
    // one run that may have begun before convergence, then two more periodic runs
    await reconciliations(rig, 3);
    expect(lists().length).toBeGreaterThanOrEqual(2);
    expect(lists().every((q) => q.status === 'open')).toBe(true);
    expect(await lossEvidence(rig)).toEqual([]);
  });

  it('finds a fill lost inside a chain (the next fill of the symbol does not add up) at once', async () => {
    // A poll interval longer than the test: only the broken chain can bring the reconciliation on.
    rig = await startRig({ seed: 4 }, { pollIntervalMs: 60_000 });
    await rig.engine.ready();
    await rig.engine.streamHealthy();
    await buy(rig, 'AAPL');
    await waitFor(async () => (await rig!.store.fills.list(PROFILE)).length === 1);
    let lost = '';
    await withEventsLost(rig, async () => {
      lost = (await buy(rig!, 'AAPL', '2')).id;
      return lost;
    });
    await buy(rig, 'AAPL');
    const c = await waitConverged(rig.store, rig.truth, 10_000);
    expect(c.ledgerFills).toBe(3);
    expect((await rig.store.orders.get(PROFILE, lost))?.status).toBe('filled');
    const evidence = await lossEvidence(rig);
    expect(evidence).toContainEqual(expect.objectContaining({ kind: 'position_chain', symbol: 'AAPL' }));
    const fills = await rig.store.fills.list(PROFILE, { orderId: lost });
    expect(fills.map((f) => f.source)).toEqual(['activity']);
  });

  it("finds a symbol's lost last fill by comparing the broker's position with the chain", async () => {
    rig = await startRig({ seed: 5 });
    await rig.engine.ready();
    await rig.engine.streamHealthy();
    await buy(rig, 'MSFT');
    await waitFor(async () => (await rig!.store.fills.list(PROFILE)).length === 1);
    await withEventsLost(rig, async () => (await buy(rig!, 'MSFT', '4')).id);
    const c = await waitConverged(rig.store, rig.truth);
    expect(c.ledgerFills).toBe(2);
    const evidence = await lossEvidence(rig);
    expect(evidence).toContainEqual(expect.objectContaining({ kind: 'position_mismatch', symbol: 'MSFT' }));
    expect(evidence.some((e) => e.kind === 'position_chain')).toBe(false);
  });

  it("finds an order's lost final event by comparing the broker's open orders with the ledger's", async () => {
    rig = await startRig({ seed: 6 });
    await rig.engine.ready();
    await rig.engine.streamHealthy();
    const order = rig.sim.broker.submit({
      symbol: 'NVDA',
      qty: '1',
      side: 'buy',
      type: 'limit',
      limit_price: '1.00',
      time_in_force: 'gtc',
    });
    await waitFor(async () => (await rig!.store.orders.get(PROFILE, order.id))?.status === 'new');
    await withEventsLost(rig, async () => {
      await rig!.truth.cancelOrder(order.id);
      return order.id;
    });
    const local = await waitFor(async () => {
      const o = await rig!.store.orders.get(PROFILE, order.id);
      return o?.status === 'canceled' ? o : null;
    });
    expect(local.filledQty).toBe('0');
    const evidence = await lossEvidence(rig);
    expect(evidence).toContainEqual(expect.objectContaining({ kind: 'order_mismatch', symbol: 'NVDA' }));
    const repairs = await rig.store.audit.list(PROFILE, { action: 'reconcile.order_repaired' });
    expect(repairs.map((r) => r.subjectId)).toContain(order.id);
  });

  it('reads a ledger order the broker does not know once, audits it, and leaves it for an hour', async () => {
    const calls: BrokerCall[] = [];
    rig = await startRecordedRig(7, calls);
    await rig.engine.ready();
    await rig.engine.streamHealthy();
    // e.g. a paper account reset at the broker: the ledger still holds an open order
    const longAgo = new Date(Date.now() - 60_000).toISOString();
    const ghost = orderFixture({
      id: randomUUID(),
      clientOrderId: 'ctr-draft-gone',
      status: 'new',
      createdAt: longAgo,
      updatedAt: longAgo,
      submittedAt: longAgo,
    });
    await rig.store.orders.apply(PROFILE, ghost);
    await waitFor(async () => calls.some((c) => c.method === 'getOrder' && c.args[0] === ghost.id));
    // the run that read it has ended, then two more that would read it again if it were not left alone
    await reconciliations(rig, 3);
    expect(calls.filter((c) => c.method === 'getOrder' && c.args[0] === ghost.id)).toHaveLength(1);
    const audit = await rig.store.audit.list(PROFILE, { action: 'reconcile.order_unknown_at_broker' });
    expect(audit.map((a) => a.subjectId)).toEqual([ghost.id]);
    expect((await rig.store.orders.get(PROFILE, ghost.id))?.status).toBe('new'); // not invented
  });
});
