// Command execution against the simulator: claim -> execute -> finish -> ack, exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidGenerator } from '../../src/adapters/system/system-clock.js';
import type { OrderIntent } from '../../src/core/order-request.js';
import {
  deliveriesAcked,
  finishedCommand,
  PROFILE,
  type Rig,
  sendCommand,
  stageDraft,
  startRig,
  waitFor,
} from './harness.js';

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
    const payload = await stageDraft(rig, intent().intent as OrderIntent);
    const draftId = payload.draftId;
    const id = await sendCommand(rig, 'submit_order', payload);
    await rig.bus.publish({
      commandId: id,
      profileId: PROFILE,
      type: 'submit_order',
      enqueuedAt: new Date().toISOString(),
    });
    const cmd = await finishedCommand(rig, id);
    expect(cmd.status).toBe('succeeded');
    expect(cmd.result).toMatchObject({ clientOrderId: `ctr-draft-${draftId}` });
    // Both deliveries handled to the end (acknowledged): the second one had its chance to submit.
    await deliveriesAcked(rig, id, 2);
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
    await deliveriesAcked(rig, id, 2); // the redelivery was handled to the end
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
      expect((await finishedCommand(rig, id)).error?.code).toBe('TRADING_HALTED');
      rig.engine.status.persistedTradingState = 'REDUCING';
      const entry = await sendCommand(rig, 'submit_order', intent());
      expect((await finishedCommand(rig, entry)).error?.code).toBe('TRADING_REDUCING');
      const exit = await sendCommand(rig, 'submit_order', intent({ side: 'sell', qty: '1' }));
      expect((await finishedCommand(rig, exit)).status).toBe('succeeded');
    } finally {
      rig.engine.status.persistedTradingState = 'ACTIVE';
    }
  });

  it('refuses an entry when the durable state is HALTED, whatever the engine believed', async () => {
    // Another writer (a kill switch, the loss limit) halted the profile in the database; this
    // engine's in-memory state still says ACTIVE. The check at submit time reads the durable one.
    await rig.store.tradingState.set({
      profileId: PROFILE,
      state: 'HALTED',
      reason: 'test: halted behind the engine',
      changedBy: 'test',
      changedAt: new Date().toISOString(),
    });
    try {
      const payload = await stageDraft(rig, intent().intent as OrderIntent);
      const id = await sendCommand(rig, 'submit_order', payload);
      const done = await finishedCommand(rig, id);
      expect(done.status).toBe('rejected');
      expect(done.error?.code).toBe('TRADING_HALTED');
      const coid = `ctr-draft-${payload.draftId}`;
      expect(await rig.truth.getOrderByClientOrderId(coid)).toBeNull();
    } finally {
      await rig.store.tradingState.set({
        profileId: PROFILE,
        state: 'ACTIVE',
        reason: 'test: re-armed',
        changedBy: 'test',
        changedAt: new Date().toISOString(),
      });
    }
  });

  it('refuses and audits an order that does not match the draft the person confirmed', async () => {
    const payload = await stageDraft(rig, intent().intent as OrderIntent);
    // someone edited the command's order after the confirm: 100 shares instead of 1
    const edited = { ...payload, intent: { ...(payload.intent as OrderIntent), qty: '100' } };
    const id = await sendCommand(rig, 'submit_order', edited);
    const done = await finishedCommand(rig, id);
    expect(done.status).toBe('rejected');
    expect(done.error?.code).toBe('draft_integrity_failed');
    expect(await rig.truth.getOrderByClientOrderId(`ctr-draft-${payload.draftId}`)).toBeNull();
    const audit = await rig.store.audit.list(PROFILE, { action: 'draft.integrity_failed' });
    expect(audit.some((a) => a.data.commandId === id)).toBe(true);
  });

  it('records an order a previous attempt placed as succeeded, even past its expiry', async () => {
    const payload = await stageDraft(rig, intent().intent as OrderIntent);
    const coid = `ctr-draft-${payload.draftId}`;
    // the broker accepted it; the engine that sent it died before recording the outcome
    await rig.truth.submitOrder({ ...(payload.intent as OrderIntent), clientOrderId: coid });
    const id = await sendCommand(rig, 'submit_order', payload, {
      status: 'running',
      attempts: 1,
      expiresAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const done = await finishedCommand(rig, id);
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ clientOrderId: coid });
  });

  it('runs a stored command the bus never delivered (the database sweep)', async () => {
    const payload = await stageDraft(rig, intent().intent as OrderIntent);
    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    const id = await sendCommand(rig, 'submit_order', payload, { expiresAt }, { publish: false });
    // never published: only the database has it
    const done = await finishedCommand(rig, id);
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ clientOrderId: `ctr-draft-${payload.draftId}` });
  });
});
