// Recovery against the simulator: the stream dropped repeatedly during a burst of fills (and fill
// events silently dropped), REST error storms on refresh, a second engine refused. After each,
// the ledger equals the broker's orders, fills and positions: zero missing, zero duplicated.
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, uuidGenerator } from '../../src/adapters/system/system-clock.js';
import { startEngine } from '../../src/engine/engine.js';
import { LeaseHeldError } from '../../src/engine/lease.js';
import {
  adapterFor,
  burst,
  fastOptions,
  PROFILE,
  type Rig,
  silentLog,
  simPost,
  simStats,
  startRig,
  waitConverged,
  waitFor,
} from './harness.js';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

/** REST requests the simulator has answered so far (every route). */
async function simRequests(r: Rig): Promise<number> {
  return Object.values((await simStats(r.sim)).requests).reduce((a, b) => a + b, 0);
}

describe('engine recovery against the simulator', () => {
  it('converges after the stream is dropped repeatedly during a burst and fill events are lost', async () => {
    rig = await startRig({ partialFillProbability: 0.3, seed: 11 });
    await rig.engine.ready();
    await rig.engine.streamHealthy();
    for (let round = 0; round < 6; round++) {
      const reconnects = rig.engine.status.reconnects;
      burst(rig.sim, 15, ['AAPL', 'MSFT', 'NVDA']);
      const drop = round % 2 === 0;
      if (drop) await simPost(rig.sim, '/_sim/stream/drop', {});
      burst(rig.sim, 10, ['AAPL', 'MSFT', 'NVDA']);
      await simPost(
        rig.sim,
        '/_sim/faults',
        round === 3 ? { drop_events: ['fill', 'partial_fill'] } : { drop_event_rate: 0.2 },
      );
      burst(rig.sim, 10, ['AAPL', 'MSFT', 'NVDA']);
      await simPost(rig.sim, '/_sim/faults', {});
      // After a drop: the engine saw it and is connected again, so the next drop has a stream to cut.
      if (drop) {
        const r = rig;
        await waitFor(
          async () =>
            r.engine.status.reconnects > reconnects && ((await simStats(r.sim)).stream.connections ?? 0) > 0,
          10_000,
          'the engine reconnected after the drop',
        );
      }
    }
    const c = await waitConverged(rig.store, rig.truth, 20_000);
    expect(c.missingFills).toBe(0);
    expect(c.duplicatedFills).toBe(0);
    expect(c.ledgerFills).toBe(c.brokerFills);
    expect(c.brokerFills).toBeGreaterThanOrEqual(210);
    expect(rig.engine.status.reconnects).toBeGreaterThanOrEqual(3);
    const repairs = await rig.store.audit.list(PROFILE, { action: 'reconcile.fill_backfilled' });
    expect(repairs.length).toBeGreaterThan(0);
    expect(repairs[0]?.actor).toBe('engine');
    await waitFor(async () => rig!.engine.status.streamHealthy);
  });

  it('picks up an order placed outside Centaur whose events were all lost, and audits it', async () => {
    rig = await startRig();
    await rig.engine.ready();
    await rig.engine.streamHealthy();
    await simPost(rig.sim, '/_sim/faults', { drop_event_rate: 1 });
    const order = await rig.truth.submitOrder({
      symbol: 'AAPL',
      side: 'buy',
      qty: '3',
      type: 'market',
      timeInForce: 'day',
      extendedHours: false,
      clientOrderId: 'placed-in-the-broker-app',
    });
    const local = await waitFor(async () => {
      const o = await rig!.store.orders.get(PROFILE, order.id);
      return o?.status === 'filled' ? o : null;
    });
    expect(local.clientOrderId).toBe('placed-in-the-broker-app');
    const audit = await rig.store.audit.list(PROFILE, { action: 'reconcile.order_discovered' });
    expect(audit.find((a) => a.subjectId === order.id)?.data.external).toBe(true);
    await simPost(rig.sim, '/_sim/faults', {});
    const c = await waitConverged(rig.store, rig.truth);
    expect(c.ledgerFills).toBe(1);
    const fills = await rig.store.fills.list(PROFILE);
    expect(fills[0]?.source).toBe('activity');
  });

  it('keeps the ledger by polling alone when the trading stream is disabled', async () => {
    rig = await startRig({ seed: 9 }, { enableTradingWs: false });
    await rig.engine.ready();
    expect(rig.engine.tradingState()).toBe('ACTIVE');
    const placed = burst(rig.sim, 6, ['AAPL', 'MSFT']).length;
    const c = await waitConverged(rig.store, rig.truth, 10_000);
    expect(c.ledgerFills).toBe(placed);
    expect((await rig.store.heartbeats.read(PROFILE))?.streamState).toBe('disabled');
  });

  it('reads REDUCING while the stream is down, and the heartbeat says so', async () => {
    rig = await startRig();
    await rig.engine.ready();
    await rig.engine.streamHealthy();
    expect(rig.engine.tradingState()).toBe('ACTIVE');
    await simPost(rig.sim, '/_sim/faults', { refuse_stream_ms: 1500 });
    await simPost(rig.sim, '/_sim/stream/drop', {});
    await waitFor(async () => rig!.engine.tradingState() === 'REDUCING');
    const hb = await waitFor(async () => {
      const h = await rig!.store.heartbeats.read(PROFILE);
      return h && h.detail.tradingState === 'REDUCING' ? h : null;
    });
    expect(hb.detail.streamHealthy).toBe(false);
    await rig.engine.streamHealthy();
    expect(rig.engine.tradingState()).toBe('ACTIVE');
    const back = await waitFor(async () => {
      const h = await rig!.store.heartbeats.read(PROFILE);
      return h && h.streamState === 'listening' ? h : null;
    });
    expect(back.detail.tradingState).toBe('ACTIVE');
    expect(back.lastSyncAt).not.toBeNull();
  });

  it('survives 5xx and 429 storms on refresh and converges once they pass', async () => {
    rig = await startRig({ seed: 5 });
    await rig.engine.ready();
    await rig.engine.streamHealthy();
    let placed = 0;
    for (const status of [503, 429, 500]) {
      await simPost(rig.sim, '/_sim/faults', {
        rest_error_rate: 0.8,
        rest_error_status: status,
        drop_event_rate: 0.3,
      });
      placed += burst(rig.sim, 20, ['AAPL', 'TSLA']).length;
      // The storm hits the engine's reads: it makes some through it (refreshes the fills asked for).
      const before = await simRequests(rig);
      const r = rig;
      await waitFor(
        async () => (await simRequests(r)) >= before + 5,
        10_000,
        `reads through the ${status} storm`,
      );
    }
    await simPost(rig.sim, '/_sim/faults', {});
    const c = await waitConverged(rig.store, rig.truth, 20_000);
    expect(c.ledgerFills).toBe(placed);
    expect(placed).toBeGreaterThan(30);
    expect(rig.engine.status.ready).toBe(true);
  });

  it('refuses a second engine on the same profile, naming the holder', async () => {
    rig = await startRig();
    await rig.engine.ready();
    const adapter = adapterFor(rig.sim);
    const second = startEngine({
      options: { ...fastOptions, holder: 'second-engine' },
      store: rig.store,
      broker: adapter.broker,
      tradeStream: adapter.tradeStream,
      bus: rig.bus,
      clock: systemClock,
      ids: uuidGenerator,
      log: silentLog,
    });
    const error = await second.catch((e) => e);
    expect(error).toBeInstanceOf(LeaseHeldError);
    expect(error.message).toContain(rig.engine.holder);
  });

  it('does not accept commands while the startup reconciliation fails, and says why', async () => {
    rig = await startRig({}, {}, {});
    await rig.engine.ready();
    await rig.engine.stop();
    await simPost(rig.sim, '/_sim/faults', { rest_error_rate: 1, rest_error_status: 500 });
    const adapter = adapterFor(rig.sim);
    const engine = await startEngine({
      options: { ...fastOptions, holder: 'restarted' },
      store: rig.store,
      broker: adapter.broker,
      tradeStream: adapter.tradeStream,
      bus: rig.bus,
      clock: systemClock,
      ids: uuidGenerator,
      log: silentLog,
    });
    try {
      const hb = await waitFor(async () => {
        const h = await rig!.store.heartbeats.read(PROFILE);
        return h &&
          h.holder === 'restarted' &&
          String(h.detail.reason).includes('startup reconciliation failed')
          ? h
          : null;
      });
      expect(hb.detail.acceptingCommands).toBe(false);
      expect(engine.status.ready).toBe(false);
      await simPost(rig.sim, '/_sim/faults', {});
      await engine.ready();
      expect(engine.status.reason).toBeNull();
    } finally {
      await engine.stop();
    }
  });
});
