// The kill switch, resume and the daily loss limit against the simulator, through commands.
import { afterEach, describe, expect, it } from 'vitest';
import { WATERMARKS } from '../../src/contract/watermarks.js';
import { dec } from '../../src/core/decimal.js';
import type { KillSwitchReport } from '../../src/engine/safety/kill-switch.js';
import type { Broker } from '../../src/ports/broker.js';
import type { Store } from '../../src/ports/store.js';
import {
  finishedCommand,
  PROFILE,
  permissiveSafety,
  type Rig,
  sendCommand,
  simPost,
  startRig,
  waitFor,
} from './harness.js';
import { bookSim, placeOrders, symbolsFor } from './safety-fixture.js';

let rig: Rig | null = null;

afterEach(async () => {
  await rig?.close();
  rig = null;
});

async function brokerFlat(r: Rig): Promise<boolean> {
  const [positions, orders] = await Promise.all([
    r.truth.listPositions(),
    r.truth.listOrders({ status: 'open', limit: 500 }),
  ]);
  return positions.length === 0 && orders.length === 0;
}

async function actions(r: Rig, prefix: string): Promise<string[]> {
  const events = await r.store.audit.list(PROFILE, { limit: 5000 });
  return events.map((e) => e.action).filter((a) => a.startsWith(prefix));
}

describe('kill switch', () => {
  it('flattens 50 positions and 100 open orders (70 placed outside Centaur) while 20% of closes and REST calls fail', async () => {
    rig = await startRig(bookSim(50));
    await rig.engine.ready();
    const symbols = symbolsFor(50);
    await placeOrders(rig, rig.truth, symbols, 70, 30);
    expect((await rig.truth.listOrders({ status: 'open', limit: 500 })).length).toBe(100);
    await simPost(rig.sim, '/_sim/faults', { rest_error_rate: 0.2, close_error_rate: 0.2 });
    const first = await sendCommand(rig, 'kill_switch', { confirm_token: 'paper', reason: 'test' });
    const second = await sendCommand(rig, 'kill_switch', { confirm_token: 'PAPER', reason: 'again' });
    const a = await finishedCommand(rig, first, 60_000);
    const b = await finishedCommand(rig, second, 60_000);
    await simPost(rig.sim, '/_sim/faults', {});
    expect(a.status).toBe('succeeded');
    expect(b.status).toBe('succeeded');
    const report = a.result as unknown as KillSwitchReport;
    expect(report.flat).toBe(true);
    // Some closes failed at first (seeded faults): the kill switch went round again for them.
    expect(report.attempts).toBeGreaterThanOrEqual(2);
    expect(report.symbols).toHaveLength(50);
    expect(report.symbols.every((s) => s.status === 'closed' && s.closed_qty === '10')).toBe(true);
    expect(report.symbols.reduce((n, s) => n + s.cancelled_orders, 0)).toBe(100);
    expect(b.result).toEqual(a.result);
    expect(await brokerFlat(rig)).toBe(true);
    expect(rig.engine.tradingState()).toBe('HALTED');
    expect((await rig.store.tradingState.get(PROFILE))?.state).toBe('HALTED');
    const steps = await actions(rig, 'kill_switch.');
    expect(steps[0]).toBe('kill_switch.started');
    expect(steps).toContain('kill_switch.orders_cancelled');
    expect(steps).toContain('kill_switch.positions_closed');
    expect(steps.at(-1)).toBe('kill_switch.finished');
    expect(steps.filter((s) => s === 'kill_switch.finished')).toHaveLength(1);
    // An order after the kill switch is refused: HALTED.
    const late = await sendCommand(rig, 'submit_order', {
      intent: {
        symbol: 'K001',
        side: 'buy',
        qty: '1',
        type: 'market',
        timeInForce: 'day',
        extendedHours: false,
      },
    });
    expect((await finishedCommand(rig, late)).error?.code).toBe('TRADING_HALTED');
  }, 90_000);

  it('waits for a submission already at the broker, closes what it placed, and refuses the next one', async () => {
    let entered = () => {};
    const atBroker = new Promise<void>((r) => {
      entered = r;
    });
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    // The submission passes every check and is inside the broker call when the kill switch comes.
    const slowSubmit = (broker: Broker): Broker =>
      new Proxy(broker, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (property !== 'submitOrder') return typeof value === 'function' ? value.bind(target) : value;
          return async (...args: Parameters<Broker['submitOrder']>) => {
            entered();
            await held;
            return target.submitOrder(...args);
          };
        },
      });
    rig = await startRig({}, {}, {}, { broker: slowSubmit });
    await rig.engine.ready();
    const order = {
      intent: {
        symbol: 'AAPL',
        side: 'buy',
        qty: '3',
        type: 'market',
        timeInForce: 'day',
        extendedHours: false,
      },
    };
    const submit = await sendCommand(rig, 'submit_order', order);
    await atBroker;
    const kill = await sendCommand(rig, 'kill_switch', { confirm_token: 'paper', reason: 'race' });
    const r = rig;
    await waitFor(async () => (await r.store.tradingState.get(PROFILE))?.state === 'HALTED');
    // HALTED is durable, yet the kill switch has listed nothing: the submission is still inside.
    expect(await actions(r, 'kill_switch.orders')).toEqual([]);
    expect((await r.store.commands.get(PROFILE, kill))?.status).toBe('running');
    release();
    const placed = await finishedCommand(r, submit);
    expect(placed.status).toBe('succeeded');
    const done = await finishedCommand(r, kill, 60_000);
    expect(done.status).toBe('succeeded');
    expect((done.result as unknown as KillSwitchReport).flat).toBe(true);
    expect(await actions(r, 'kill_switch.submissions_settled')).toEqual(['kill_switch.submissions_settled']);
    expect(await brokerFlat(r)).toBe(true);
    const late = await sendCommand(r, 'submit_order', order);
    expect((await finishedCommand(r, late)).error?.code).toBe('TRADING_HALTED');
    expect(await brokerFlat(r)).toBe(true);
  }, 60_000);

  it('refuses a token for the other environment, and re-arms with resume (a no-op from ACTIVE)', async () => {
    rig = await startRig({ positions: [{ symbol: 'AAPL', qty: '5', avg_entry_price: '150' }] });
    await rig.engine.ready();
    const noop = await finishedCommand(
      rig,
      await sendCommand(rig, 'resume', { confirm_token: 'paper', reason: 'x' }),
    );
    expect(noop.status).toBe('succeeded');
    expect(noop.result).toMatchObject({
      from: 'ACTIVE',
      to: 'ACTIVE',
      note: expect.stringContaining('already'),
    });
    const kill = await finishedCommand(
      rig,
      await sendCommand(rig, 'kill_switch', { confirm_token: 'paper' }),
    );
    expect(kill.status).toBe('succeeded');
    expect(await brokerFlat(rig)).toBe(true);
    const wrong = await finishedCommand(
      rig,
      await sendCommand(rig, 'resume', { confirm_token: 'LIVE', reason: 'x' }),
    );
    expect(wrong.error?.code).toBe('confirm_token_invalid');
    expect(rig.engine.tradingState()).toBe('HALTED');
    const invisible = await finishedCommand(
      rig,
      await sendCommand(rig, 'resume', { confirm_token: 'paper', reason: '\u200b\u00a0\u2060' }),
    );
    expect(invisible.error?.code).toBe('reason_required');
    expect(rig.engine.tradingState()).toBe('HALTED');
    const ok = await finishedCommand(
      rig,
      await sendCommand(rig, 'resume', { confirm_token: 'Paper', reason: 'checked the account' }),
    );
    expect(ok.status).toBe('succeeded');
    expect(ok.result).toMatchObject({ from: 'HALTED', to: 'ACTIVE', effective: 'ACTIVE' });
    expect(rig.engine.tradingState()).toBe('ACTIVE');
    const changes = (await rig.store.audit.list(PROFILE, { action: 'trading_state.changed' })).map((e) => [
      e.data.from,
      e.data.to,
      e.reason,
    ]);
    expect(changes).toEqual([
      ['ACTIVE', 'HALTED', 'kill switch: kill switch'],
      ['HALTED', 'ACTIVE', 'checked the account'],
    ]);
  }, 30_000);

  it('resumes a kill switch a dead engine left running: still HALTED, and finishes the job', async () => {
    rig = await startRig({ positions: [{ symbol: 'AAPL', qty: '5', avg_entry_price: '150' }] });
    await rig.engine.ready();
    await rig.truth.submitOrder({
      symbol: 'MSFT',
      side: 'buy',
      qty: '1',
      type: 'limit',
      limitPrice: '10.00',
      timeInForce: 'gtc',
      extendedHours: false,
      clientOrderId: 'outside-1',
    });
    // What a killed engine leaves: HALTED persisted and the command running.
    await rig.store.tradingState.set({
      profileId: PROFILE,
      state: 'HALTED',
      reason: 'kill switch: before the crash',
      changedBy: 'test',
      changedAt: new Date().toISOString(),
    });
    const id = await sendCommand(
      rig,
      'kill_switch',
      { confirm_token: 'PAPER', reason: 'crash' },
      {
        status: 'running',
        attempts: 1,
        startedAt: new Date().toISOString(),
      },
    );
    const { sim, store, bus } = rig;
    await rig.engine.stop();
    const { startEngine } = await import('../../src/engine/engine.js');
    const { adapterFor, fastOptions, silentLog } = await import('./harness.js');
    const { systemClock, uuidGenerator } = await import('../../src/adapters/system/system-clock.js');
    const adapter = adapterFor(sim);
    const engine = await startEngine({
      options: fastOptions,
      store,
      broker: adapter.broker,
      tradeStream: adapter.tradeStream,
      bus,
      clock: systemClock,
      ids: uuidGenerator,
      log: silentLog,
    });
    rig = { ...rig, engine };
    expect(engine.tradingState()).toBe('HALTED');
    const done = await finishedCommand(rig, id, 20_000);
    expect(done.status).toBe('succeeded');
    expect((done.result as unknown as KillSwitchReport).flat).toBe(true);
    expect(await brokerFlat(rig)).toBe(true);
    expect(engine.tradingState()).toBe('HALTED');
    const started = await rig.store.audit.list(PROFILE, { action: 'kill_switch.started' });
    expect(started.at(-1)?.data.resumed).toBe(true);
  }, 30_000);
});

describe('daily loss limit', () => {
  it('halts by itself when equity falls past the limit, notifies, and stays re-armed after resume', async () => {
    const notes: string[] = [];
    // The loss check reads its watermark only when the account is past the limit: each read that
    // completes is one check that found the breach and decided whether to halt again.
    let lossChecks = 0;
    const countLossChecks = (store: Store): Store => ({
      ...store,
      watermarks: {
        ...store.watermarks,
        get: async (...args: Parameters<Store['watermarks']['get']>) => {
          const value = await store.watermarks.get(...args);
          if (args[1] === WATERMARKS.lossLimitTripped.key) lossChecks += 1;
          return value;
        },
      },
    });
    rig = await startRig(
      { positions: [{ symbol: 'AAPL', qty: '500', avg_entry_price: '190' }] },
      {
        safety: {
          ...permissiveSafety,
          risk: { ...permissiveSafety.risk, maxDailyLoss: { kind: 'percent', value: '2' } },
        },
      },
      { notifier: { notify: async (n) => void notes.push(n.kind) } },
      { store: countLossChecks },
    );
    await rig.engine.ready();
    expect(rig.engine.tradingState()).toBe('ACTIVE');
    await simPost(rig.sim, '/_sim/prices', { AAPL: '170.00' });
    await waitFor(async () => rig?.engine.tradingState() === 'HALTED', 10_000, 'HALTED by the loss limit');
    const change = (await rig.store.audit.list(PROFILE, { action: 'trading_state.changed' })).at(-1);
    expect(change?.actor).toBe('engine');
    expect(change?.reason).toMatch(/daily loss limit: equity .* below last equity .* \(limit 2%\)/);
    expect(notes).toContain('loss_limit_halted');
    const resumed = await finishedCommand(
      rig,
      await sendCommand(rig, 'resume', { confirm_token: 'paper', reason: 'loss understood' }),
    );
    expect(resumed.status).toBe('succeeded');
    // A loss check after the resume, still past the limit, and the sync that ran it completed:
    // had it halted again, HALTED would be set by now.
    const checks = lossChecks;
    await waitFor(async () => lossChecks > checks, 10_000, 'a loss check after the resume');
    const syncs = rig.engine.status.metrics.syncCount;
    await waitFor(async () => rig?.engine.status.metrics.syncCount !== syncs, 10_000, 'that sync to end');
    expect(rig.engine.tradingState()).toBe('ACTIVE');
    const account = await rig.store.accounts.latest(PROFILE);
    expect(dec(account?.equity ?? '0').lt(account?.lastEquity ?? '0')).toBe(true);
  }, 30_000);

  it('with RISK_FLATTEN_ON_DAILY_LOSS runs the kill switch as an engine command', async () => {
    rig = await startRig(
      { positions: [{ symbol: 'AAPL', qty: '500', avg_entry_price: '190' }] },
      {
        safety: {
          ...permissiveSafety,
          risk: {
            ...permissiveSafety.risk,
            maxDailyLoss: { kind: 'amount', value: '1000' },
            flattenOnDailyLoss: true,
          },
        },
      },
    );
    await rig.engine.ready();
    await simPost(rig.sim, '/_sim/prices', { AAPL: '170.00' });
    const command = await waitFor(
      async () =>
        (await rig?.store.commands.list(PROFILE, { type: 'kill_switch', status: 'succeeded' }))?.[0],
      15_000,
      'the engine kill switch',
    );
    expect(command.actor).toBe('engine');
    expect(await brokerFlat(rig)).toBe(true);
    expect(rig.engine.tradingState()).toBe('HALTED');
  }, 30_000);
});
