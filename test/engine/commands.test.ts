// Command execution against the simulator: claim -> execute -> finish -> ack, exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidGenerator } from '../../src/adapters/system/system-clock.js';
import { finishedCommand, PROFILE, type Rig, sendCommand, startRig, waitFor } from './harness.js';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ cash: '10000' });
  await rig.engine.ready();
  await rig.engine.streamHealthy();
});
afterAll(async () => {
  await rig.close();
});

const intent = (over: Record<string, unknown> = {}) => ({
  intent: {
    symbol: 'AAPL',
    side: 'buy',
    qty: '1',
    type: 'market',
    timeInForce: 'day',
    extendedHours: false,
    ...over,
  },
});

describe('engine commands', () => {
  it('submits a drafted order under the draft client order id, once, even when delivered twice', async () => {
    const draftId = uuidGenerator.next();
    const id = await sendCommand(rig, 'submit_order', { draftId, ...intent() });
    await rig.bus.publish({
      commandId: id,
      profileId: PROFILE,
      type: 'submit_order',
      enqueuedAt: new Date().toISOString(),
    });
    const cmd = await finishedCommand(rig, id);
    expect(cmd.status).toBe('succeeded');
    expect(cmd.result).toMatchObject({ clientOrderId: `ctr-draft-${draftId}` });
    await new Promise((r) => setTimeout(r, 300));
    const orders = await rig.truth.listOrders({ status: 'all', after: '2000-01-01T00:00:00Z', limit: 500 });
    expect(orders.filter((o) => o.clientOrderId === `ctr-draft-${draftId}`)).toHaveLength(1);
    const audit = await rig.store.audit.list(PROFILE, { action: 'command.succeeded' });
    expect(audit.some((a) => a.subjectId === id)).toBe(true);
  });

  it('settles a redelivered, already-running command by its client order id instead of resubmitting', async () => {
    const id = await sendCommand(rig, 'submit_order', intent());
    const first = await finishedCommand(rig, id);
    // a crash after the broker accepted but before finish: the command is running again
    const id2 = uuidGenerator.next();
    await rig.truth.submitOrder({
      symbol: 'AAPL',
      side: 'buy',
      qty: '1',
      type: 'market',
      timeInForce: 'day',
      extendedHours: false,
      clientOrderId: `ctr-command-${id2}`,
    });
    await sendCommand(rig, 'submit_order', intent(), { id: id2, status: 'running', attempts: 1 } as never);
    const second = await finishedCommand(rig, id2);
    expect(first.status).toBe('succeeded');
    expect(second.status).toBe('succeeded');
    const orders = await rig.truth.listOrders({ status: 'all', after: '2000-01-01T00:00:00Z', limit: 500 });
    expect(orders.filter((o) => o.clientOrderId === `ctr-command-${id2}`)).toHaveLength(1);
  });

  it('denies an order beyond buying power in the engine risk check, before the broker', async () => {
    const id = await sendCommand(rig, 'submit_order', intent({ qty: '100000' }));
    const cmd = await finishedCommand(rig, id);
    expect(cmd.status).toBe('rejected');
    expect(cmd.error?.code).toContain('INSUFFICIENT_BUYING_POWER');
    const orders = await rig.truth.listOrders({ status: 'all', after: '2000-01-01T00:00:00Z', limit: 500 });
    expect(orders.filter((o) => o.clientOrderId === `ctr-command-${id}`)).toHaveLength(0);
  });

  it('expires an order command past its expiry without effect, and acks a terminal one', async () => {
    const before = (await rig.truth.listOrders({ status: 'all', after: '2000-01-01T00:00:00Z', limit: 500 }))
      .length;
    const id = await sendCommand(rig, 'submit_order', intent(), { expiresAt: '2020-01-01T00:00:00Z' });
    const cmd = await finishedCommand(rig, id);
    expect(cmd.status).toBe('expired');
    await rig.bus.publish({
      commandId: id,
      profileId: PROFILE,
      type: 'submit_order',
      enqueuedAt: new Date().toISOString(),
    });
    await new Promise((r) => setTimeout(r, 200));
    expect((await rig.store.commands.get(PROFILE, id))?.status).toBe('expired');
    const after = (await rig.truth.listOrders({ status: 'all', after: '2000-01-01T00:00:00Z', limit: 500 }))
      .length;
    expect(after).toBe(before);
  });

  it('cancels a resting order; the cancel arrives through the stream', async () => {
    const id = await sendCommand(rig, 'submit_order', intent({ type: 'limit', limitPrice: '1.00' }));
    const placed = await finishedCommand(rig, id);
    const orderId = String(placed.result?.orderId);
    const cancel = await sendCommand(rig, 'cancel_order', { orderId });
    expect((await finishedCommand(rig, cancel)).status).toBe('succeeded');
    await waitFor(async () => (await rig.store.orders.get(PROFILE, orderId))?.status === 'canceled');
    const missing = await sendCommand(rig, 'cancel_order', { orderId: uuidGenerator.next() });
    expect((await finishedCommand(rig, missing)).status).toBe('rejected');
  });

  it('rejects bad payloads and unknown command types without touching the broker', async () => {
    const bad = await sendCommand(rig, 'submit_order', { intent: { symbol: 'AAPL' } });
    expect((await finishedCommand(rig, bad)).error?.code).toBe('invalid_payload');
    const badCancel = await sendCommand(rig, 'cancel_order', {});
    expect((await finishedCommand(rig, badCancel)).error?.code).toBe('invalid_payload');
    const kill = await sendCommand(rig, 'kill_switch', {});
    expect((await finishedCommand(rig, kill)).error?.code).toBe('confirm_token_invalid');
    const live = await sendCommand(rig, 'kill_switch', { confirm_token: 'LIVE' });
    expect((await finishedCommand(rig, live)).error?.code).toBe('confirm_token_invalid');
  });

  it('refuses entries while the persisted state is HALTED', async () => {
    rig.engine.status.persistedTradingState = 'HALTED';
    try {
      const id = await sendCommand(rig, 'submit_order', intent());
      expect((await finishedCommand(rig, id)).error?.code).toBe('trading_halted');
      rig.engine.status.persistedTradingState = 'REDUCING';
      const entry = await sendCommand(rig, 'submit_order', intent());
      expect((await finishedCommand(rig, entry)).error?.code).toBe('trading_reducing');
      const exit = await sendCommand(rig, 'submit_order', intent({ side: 'sell', qty: '1' }));
      expect((await finishedCommand(rig, exit)).status).toBe('succeeded');
    } finally {
      rig.engine.status.persistedTradingState = 'ACTIVE';
    }
  });
});
