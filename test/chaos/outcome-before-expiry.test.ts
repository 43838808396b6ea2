/**
 * Issue 13, item 6: filled, recorded as expired, as found. The broker accepts the order but its
 * answer is late (simulator fault order_response_delay_ms); the engine is kill -9'd before it can
 * store the outcome and started again only after the command's expiry. Promised: the command ends
 * `succeeded` with the broker's order (never `expired`), exactly one order exists for the draft's
 * client order id, and a new confirm of the same draft answers with that succeeded command instead
 * of inviting a second placement.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Cluster, clusterSuite, type Proc } from './harness.js';

/** Longer than the engine lives after the broker accepted the order. */
const RESPONSE_DELAY_MS = 30_000;

await clusterSuite(() => {
  const cluster = new Cluster();
  let engine: Proc;

  beforeAll(async () => {
    await cluster.up();
    engine = await cluster.startAll('engine-1');
  }, 120_000);

  afterAll(() => cluster.down(), 60_000);

  it('an order the broker accepted is never recorded expired', async () => {
    const draft = await cluster.allowedDraft({
      symbol: 'AAPL',
      side: 'buy',
      qty: '1',
      type: 'market',
      time_in_force: 'day',
    });
    const clientOrderId = `ctr-draft-${draft.id}`;
    await cluster.sim.faults({ order_response_delay_ms: RESPONSE_DELAY_MS });
    const confirm = await cluster.api.post<{ command: { id: string; expires_at: string } }>(
      '/commands/confirm',
      { draft_id: draft.id },
    );
    expect(confirm.status, confirm.text).toBe(202);
    const commandId = confirm.json.command.id;
    const expiresAt = confirm.json.command.expires_at;
    expect(expiresAt).toEqual(expect.any(String));

    // The broker has the order; its answer is still on the way: kill -9 now.
    const [accepted] = await cluster.eventually(
      async () => {
        const orders = await cluster.sim.ordersByClientId(clientOrderId);
        return orders.length > 0 ? orders : undefined;
      },
      RESPONSE_DELAY_MS / 2,
      'the order accepted at the simulator',
    );
    cluster.signal(engine, 'SIGKILL');
    await engine.exited;
    await cluster.sim.faults({});
    expect((await cluster.command(commandId)).status).toBe('running');

    // Started again only once the command has expired, by the database's clock.
    await cluster.eventually(
      async () => {
        const [row] = await cluster.sql<{ past: boolean }>(
          'select clock_timestamp() > $1::timestamptz as past',
          [expiresAt],
        );
        return row?.past ? true : undefined;
      },
      120_000,
      `command expiry ${expiresAt} passed`,
    );
    await cluster.startEngineWhenLeaseFree('engine-2');

    const done = await cluster.terminal(commandId, 60_000);
    const orders = await cluster.sim.ordersByClientId(clientOrderId);
    expect(
      { status: done.status, error: done.error, clientOrderId: done.result?.clientOrderId },
      cluster.logs(),
    ).toEqual({ status: 'succeeded', error: null, clientOrderId });
    expect(done.result?.orderId).toBe(accepted?.id);
    expect(orders.map((o) => o.id)).toEqual([accepted?.id]);

    // Confirming the draft again points at the succeeded command: nothing invites a second order.
    const again = await cluster.api.post('/commands/confirm', { draft_id: draft.id });
    expect(again.status, again.text).toBe(409);
    expect(again.json.error?.code).toBe('draft_already_executed');
    expect(again.json.error?.details).toMatchObject({ command_id: commandId, status: 'succeeded' });
    expect((await cluster.sim.ordersByClientId(clientOrderId)).length).toBe(1);
  }, 170_000);
});
