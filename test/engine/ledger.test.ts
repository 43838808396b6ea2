// The engine against the simulator, through the Alpaca adapter: fills reach positions at once,
// partial fills and duplicated events are stored once, commands run exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import {
  compareWithBroker,
  converged,
  finishedCommand,
  PROFILE,
  type Rig,
  sendCommand,
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

describe('engine ledger against the simulator', () => {
  it('shows a fill in positions at once (provisional), then confirmed by REST', async () => {
    rig = await startRig();
    await rig.engine.ready();
    await rig.engine.streamHealthy();
    const id = await sendCommand(rig, 'submit_order', {
      intent: {
        symbol: 'AAPL',
        side: 'buy',
        qty: '5',
        type: 'market',
        timeInForce: 'day',
        extendedHours: false,
      },
    });
    const cmd = await finishedCommand(rig, id);
    expect(cmd.status).toBe('succeeded');
    expect(cmd.result?.clientOrderId).toBe(`ctr-command-${id}`);
    const position = await waitFor(async () =>
      (await rig!.store.positions.list(PROFILE)).find((p) => p.symbol === 'AAPL'),
    );
    expect(position.qty).toBe('5');
    const confirmed = await waitFor(async () =>
      (await rig!.store.positions.list(PROFILE)).find((p) => p.symbol === 'AAPL' && p.provenance === 'rest'),
    );
    expect(confirmed.qty).toBe('5');
    const fills = await rig.store.fills.list(PROFILE);
    expect(fills).toHaveLength(1);
    expect(fills[0]?.source).toBe('stream');
    await waitConverged(rig.store, rig.truth);
    const series = await rig.store.accounts.series(PROFILE);
    expect(series.some((s) => s.source === 'history')).toBe(true);
    expect(series.some((s) => s.source === 'sync')).toBe(true);
    const hb = await waitFor(async () => {
      const h = await rig!.store.heartbeats.read(PROFILE);
      return h?.lastEventAt ? h : null;
    });
    expect(hb).toMatchObject({ streamState: 'listening', environment: 'paper' });
    expect(hb.lagMs).not.toBeNull();
  });

  it('stores every partial fill once and the position equals their sum', async () => {
    rig = await startRig({ partialFillProbability: 0.9, seed: 7 });
    await rig.engine.ready();
    await rig.engine.streamHealthy();
    const id = await sendCommand(rig, 'submit_order', {
      intent: {
        symbol: 'MSFT',
        side: 'buy',
        qty: '100',
        type: 'market',
        timeInForce: 'day',
        extendedHours: false,
      },
    });
    expect((await finishedCommand(rig, id)).status).toBe('succeeded');
    const c = await waitConverged(rig.store, rig.truth);
    expect(c.brokerFills).toBeGreaterThan(1);
    expect(c.ledgerFills).toBe(c.brokerFills);
    const position = (await rig.store.positions.list(PROFILE)).find((p) => p.symbol === 'MSFT');
    expect(position?.qty).toBe('100');
  });

  it('ignores duplicated events (same execution id) sent by the broker', async () => {
    rig = await startRig({ seed: 3 });
    await rig.engine.ready();
    await rig.engine.streamHealthy();
    await simPost(rig.sim, '/_sim/faults', { duplicate_event_rate: 1 });
    for (let i = 0; i < 5; i++)
      rig.sim.broker.submit({ symbol: 'AAPL', qty: '2', side: 'buy', type: 'market', time_in_force: 'day' });
    await waitFor(async () => (await rig!.store.fills.list(PROFILE)).length === 5);
    // Every frame the simulator sent (each event twice) has been through the engine, copies included.
    const r = rig;
    await waitFor(
      async () => r.engine.status.eventsPersisted >= ((await simStats(r.sim)).stream.eventsSent ?? 0),
      10_000,
      'every event sent to be handled',
    );
    const c = await waitConverged(rig.store, rig.truth);
    expect(c.duplicatedFills).toBe(0);
    expect(c.ledgerFills).toBe(5);
    expect(converged(await compareWithBroker(rig.store, rig.truth))).toBe(true);
  });
});
