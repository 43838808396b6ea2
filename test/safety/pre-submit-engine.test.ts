// The pre-submit check inside a running engine, against the simulator: which broker REST calls a
// confirm costs (every call of the engine's broker is recorded; its background reads all go on the
// 'read' lane, a submit's on 'entry' or 'exit'), with the trade stream healthy, down and disabled,
// and the risk denials decided on the stream-fed ledger position.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedCommandBus } from '../../src/adapters/bus/embedded-command-bus.js';
import { systemClock, uuidGenerator } from '../../src/adapters/system/system-clock.js';
import { startEngine } from '../../src/engine/engine.js';
import type { EngineOptions } from '../../src/engine/engine-options.js';
import { type SimulatorOptions, startSimulator } from '../../src/sim/server.js';
import {
  adapterFor,
  fastOptions,
  finishedCommand,
  openLedger,
  PROFILE,
  permissiveSafety,
  type Rig,
  sendCommand,
  silentLog,
  simPost,
  waitFor,
} from '../engine/harness.js';
import { type BrokerCall, orderLaneCalls, recordingBroker } from '../support/recording-broker.js';

type RecordedRig = Omit<Rig, 'truth'> & { calls: BrokerCall[] };

async function startRecordedRig(
  sim: SimulatorOptions,
  options: Partial<EngineOptions>,
): Promise<RecordedRig> {
  const simulator = await startSimulator({ rateLimit: 0, ...sim });
  const { db, store } = await openLedger();
  const bus = new EmbeddedCommandBus({ db, pollMs: 20 });
  const adapter = adapterFor(simulator);
  const { broker, calls } = recordingBroker(adapter.broker);
  const engine = await startEngine({
    options: { ...fastOptions, ...options },
    store,
    broker,
    tradeStream: adapter.tradeStream,
    bus,
    clock: systemClock,
    ids: uuidGenerator,
    log: silentLog,
  });
  await engine.ready();
  // Warm: the refresher has read the AAPL asset and quote (the clock is read in the same cycle).
  await waitFor(async () => (await store.marketData.getAsset(PROFILE, 'AAPL')) !== null, 10_000, 'asset');
  await waitFor(async () => (await store.marketData.getQuote(PROFILE, 'AAPL')) !== null, 10_000, 'quote');
  return {
    sim: simulator,
    store,
    db,
    bus,
    broker,
    engine,
    calls,
    close: async () => {
      await engine.stop();
      await bus.close();
      await store.close();
      await simulator.stop();
    },
  };
}

const order = (side: 'buy' | 'sell', qty = '1') => ({
  intent: { symbol: 'AAPL', side, qty, type: 'market', timeInForce: 'day', extendedHours: false },
});

/** Runs one submit_order; returns the finished command and the calls on the submit's lanes. */
async function confirm(rig: RecordedRig, side: 'buy' | 'sell', qty = '1') {
  rig.calls.length = 0;
  const id = await sendCommand(rig, 'submit_order', order(side, qty));
  const command = await finishedCommand(rig, id);
  return { command, calls: orderLaneCalls(rig.calls).sort() };
}

/** Waits until the ledger holds `qty` AAPL (a flat position has no row). */
const positionIs = (rig: RecordedRig, qty: string) =>
  waitFor(
    async () =>
      ((await rig.store.positions.list(PROFILE)).find((p) => p.symbol === 'AAPL')?.qty ?? '0') === qty,
    10_000,
    `ledger AAPL position ${qty}`,
  );

const AAPL_10 = { positions: [{ symbol: 'AAPL', qty: '10', avg_entry_price: '190' }] };
// 10 AAPL at $190 = $1900; one more share fits under $2200, two do not. No shorts.
const tight = {
  ...permissiveSafety,
  risk: { ...permissiveSafety.risk, allowShort: false, maxPositionNotional: '2200' },
};

describe('pre-submit reads in the engine, trade stream healthy', () => {
  let rig: RecordedRig;
  beforeAll(async () => {
    rig = await startRecordedRig(AAPL_10, { safety: tight });
    await rig.engine.streamHealthy();
  });
  afterAll(async () => {
    await rig.close();
  });

  it('a confirm with a healthy stream and a warm cache costs exactly the account read and the submit', async () => {
    for (let i = 0; i < 6; i++) {
      const side = i % 2 === 0 ? 'buy' : 'sell';
      const { command, calls } = await confirm(rig, side);
      expect(command.status).toBe('succeeded');
      expect(calls).toEqual(['getAccount', 'submitOrder']);
      await positionIs(rig, side === 'buy' ? '11' : '10');
    }
  });

  it('denies a position over the limit and a short on the stream-fed ledger position, without REST reads of it', async () => {
    expect((await confirm(rig, 'buy')).command.status).toBe('succeeded');
    await positionIs(rig, '11'); // the fill came through the stream
    const over = await confirm(rig, 'buy');
    expect(over.command.status).toBe('rejected');
    expect(over.command.error?.code).toContain('POSITION_NOTIONAL_LIMIT');
    expect(over.calls).toEqual(['getAccount']);
    const short = await confirm(rig, 'sell', '12');
    expect(short.command.status).toBe('rejected');
    expect(short.command.error?.code).toContain('SHORT_NOT_ALLOWED');
    expect(short.calls).toEqual(['getAccount']);
    const flat = await confirm(rig, 'sell', '11');
    expect(flat.command.status).toBe('succeeded');
    expect(flat.calls).toEqual(['getAccount', 'submitOrder']);
    await positionIs(rig, '0');
  });

  it('with the stream down, an order that reduces reads positions and open orders from the broker', async () => {
    expect((await confirm(rig, 'buy')).command.status).toBe('succeeded');
    await simPost(rig.sim, '/_sim/faults', { refuse_stream_ms: 60_000 });
    await simPost(rig.sim, '/_sim/stream/drop', {});
    await waitFor(async () => !rig.engine.status.streamHealthy, 5000, 'stream down');
    const { command, calls } = await confirm(rig, 'sell');
    expect(command.status).toBe('succeeded');
    expect(calls).toEqual(['getAccount', 'listOrders', 'listPositions', 'submitOrder']);
    await simPost(rig.sim, '/_sim/faults', {});
  });
});

describe('pre-submit reads in the engine, trade stream disabled', () => {
  let rig: RecordedRig;
  beforeAll(async () => {
    rig = await startRecordedRig(AAPL_10, { enableTradingWs: false });
  });
  afterAll(async () => {
    await rig.close();
  });

  it('every confirm reads positions and open orders from the broker (the ledger is not stream-fed)', async () => {
    const { command, calls } = await confirm(rig, 'buy');
    expect(command.status).toBe('succeeded');
    expect(calls).toEqual(['getAccount', 'listOrders', 'listPositions', 'submitOrder']);
  });
});
