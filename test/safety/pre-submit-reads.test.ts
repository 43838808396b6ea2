// Where the pre-submit risk check reads each input: the simulator through the Alpaca adapter (every
// call recorded), a SQLite ledger, the engine's safety part with its real market-data refresher,
// and a fake clock shared with the simulator's calendar clock, so cache ages are exact.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/adapters/system/fake-clock.js';
import { uuidGenerator } from '../../src/adapters/system/system-clock.js';
import type { OrderIntent } from '../../src/core/order-request.js';
import type { CommandContext } from '../../src/engine/commands/command-context.js';
import { gatherFreshContext, preSubmitDenials } from '../../src/engine/commands/pre-submit-risk.js';
import { EngineStatus } from '../../src/engine/engine-status.js';
import { EngineSafety } from '../../src/engine/safety/engine-safety.js';
import { CLOCK_MAX_AGE_MS, QUOTE_MAX_AGE_MS } from '../../src/engine/safety/market-cache.js';
import type { Store } from '../../src/ports/store.js';
import { type RunningSimulator, startSimulator } from '../../src/sim/server.js';
import { adapterFor, openLedger, PROFILE, permissiveSafety, silentLog } from '../engine/harness.js';
import { order } from '../support/domain-fixtures.js';
import { type BrokerCall, recordingBroker } from '../support/recording-broker.js';

// Monday 3 August 2026, 15:58 New York: the market is open and closes in two minutes.
const START = '2026-08-03T19:58:00.000Z';

interface Setup {
  sim: RunningSimulator;
  store: Store;
  clock: FakeClock;
  calls: BrokerCall[];
  safety: EngineSafety;
  ctx(trusted: boolean): CommandContext;
  close(): Promise<void>;
}

let open: Setup | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

async function setup(limits: Partial<typeof permissiveSafety.risk> = {}): Promise<Setup> {
  const clock = new FakeClock(START);
  const sim = await startSimulator({
    rateLimit: 0,
    clock: 'calendar',
    now: () => clock.now().getTime(),
    positions: [{ symbol: 'AAPL', qty: '10', avg_entry_price: '190' }],
  });
  const { store } = await openLedger();
  const { broker, calls } = recordingBroker(adapterFor(sim).broker);
  const safety = new EngineSafety({
    store,
    broker,
    clock,
    ids: uuidGenerator,
    log: silentLog,
    notifier: null,
    status: new EngineStatus(),
    profileId: PROFILE,
    environment: 'paper',
    options: { ...permissiveSafety, risk: { ...permissiveSafety.risk, ...limits } },
  });
  // The ledger as a healthy stream keeps it: the broker's positions and open orders.
  await store.positions.replaceAll(PROFILE, await broker.listPositions(), clock.timestamp());
  const ctx = (trusted: boolean): CommandContext => ({
    profileId: PROFILE,
    environment: 'paper',
    store,
    broker,
    clock,
    log: silentLog,
    notifier: null,
    tradingState: () => 'ACTIVE',
    ledgerTrusted: () => trusted,
    safety: safety.context,
  });
  open = {
    sim,
    store,
    clock,
    calls,
    safety,
    ctx,
    close: async () => {
      await safety.stop();
      await store.close();
      await sim.stop();
    },
  };
  return open;
}

const buy = (symbol = 'AAPL', qty = '1'): OrderIntent => ({
  symbol,
  side: 'buy',
  qty,
  type: 'market',
  timeInForce: 'day',
  extendedHours: false,
});

/** The broker methods the check called (calls are cleared first). */
async function readsOf(s: Setup, trusted: boolean, intent = buy()): Promise<string[]> {
  s.calls.length = 0;
  await gatherFreshContext(s.ctx(trusted), intent, 'entry');
  return s.calls.map((c) => c.method).sort();
}

describe('pre-submit risk reads', () => {
  it('with a trusted ledger and a warm market cache, reads only the account from the broker', async () => {
    const s = await setup();
    await s.safety.marketData.refresh();
    expect(await readsOf(s, true)).toEqual(['getAccount']);
    expect(s.calls.every((c) => c.lane === 'entry')).toBe(true);
    // The same context the all-REST path builds (prices stand still in the simulator).
    const cached = await gatherFreshContext(s.ctx(true), buy(), 'entry');
    const cold = new EngineSafety(deps(s));
    const rest = await gatherFreshContext({ ...s.ctx(false), safety: cold.context }, buy(), 'entry');
    expect(cached).toEqual(rest);
    expect(cached).toMatchObject({ positionQty: '10', openOrders: 0, session: 'core' });
  });

  it('reads the quote from the broker again once the cached one was read QUOTE_MAX_AGE_MS ago', async () => {
    const s = await setup();
    await s.safety.marketData.refresh();
    await s.clock.advance(QUOTE_MAX_AGE_MS - 1);
    expect(await readsOf(s, true)).toEqual(['getAccount']);
    await s.clock.advance(1);
    expect(await readsOf(s, true)).toEqual(['getAccount', 'getQuotes']);
  });

  it('reads the asset from the broker for a symbol the cache does not hold, or read too long ago', async () => {
    const s = await setup();
    await s.safety.marketData.refresh();
    expect(s.safety.marketData.asset('MSFT')).toBeNull();
    expect(await readsOf(s, true, buy('MSFT'))).toEqual(['getAccount', 'getAsset', 'getQuotes']);
    // A cached profile older than the asset refresh period (a day by default) is read again.
    await s.clock.advance(s.safety.context.options.assetRefreshMs);
    expect(await readsOf(s, true)).toContain('getAsset');
  });

  it('reads the clock from the broker once the cached one is past its next close, or too old', async () => {
    const s = await setup();
    await s.safety.marketData.refresh();
    await s.clock.advance(2 * 60_000); // 16:00 New York: the cached clock said open until now
    const ctx = await gatherFreshContext(s.ctx(true), buy(), 'entry');
    expect(s.calls.filter((c) => c.lane === 'entry').map((c) => c.method)).toContain('getClock');
    expect(ctx.session).toBe('post');
    // A clock read now is good until tomorrow's open, but not for longer than CLOCK_MAX_AGE_MS
    // (the refresher stalled: its quote is stale too).
    await s.safety.marketData.refresh();
    expect(await readsOf(s, true)).toEqual(['getAccount']);
    await s.clock.advance(CLOCK_MAX_AGE_MS - 1);
    expect(await readsOf(s, true)).toEqual(['getAccount', 'getQuotes']);
    await s.clock.advance(1);
    expect(await readsOf(s, true)).toEqual(['getAccount', 'getClock', 'getQuotes']);
  });

  it('without a trusted ledger (stream down or off), reads positions and open orders from the broker', async () => {
    const s = await setup();
    await s.safety.marketData.refresh();
    expect(await readsOf(s, false)).toEqual(['getAccount', 'listOrders', 'listPositions']);
  });

  it('reads positions and open orders from the broker while received events are not stored yet', async () => {
    const s = await setup();
    await s.safety.marketData.refresh();
    let waited = 0;
    const behind = {
      ...s.ctx(true),
      ledgerCaughtUp: async () => {
        waited++;
        return false;
      },
    };
    s.calls.length = 0;
    await gatherFreshContext(behind, buy(), 'entry');
    expect(waited).toBe(1);
    expect(s.calls.map((c) => c.method).sort()).toEqual(['getAccount', 'listOrders', 'listPositions']);
    s.calls.length = 0;
    await gatherFreshContext({ ...behind, ledgerCaughtUp: async () => true }, buy(), 'entry');
    expect(s.calls.map((c) => c.method)).toEqual(['getAccount']);
  });

  it('takes the position and the open orders from the ledger when it is trusted, from the broker when not', async () => {
    const s = await setup();
    await s.safety.marketData.refresh();
    // The stream has told the ledger of an order and a fill the broker's REST view does not show.
    await s.store.positions.applyStreamQty(PROFILE, 'AAPL', '12', '190', s.clock.timestamp());
    const at = s.clock.timestamp();
    await s.store.orders.apply(
      PROFILE,
      order({ status: 'new', createdAt: at, updatedAt: at, submittedAt: at }),
    );
    const ledger = await gatherFreshContext(s.ctx(true), buy(), 'entry');
    const broker = await gatherFreshContext(s.ctx(false), buy(), 'entry');
    expect(ledger).toMatchObject({ positionQty: '12', openOrders: 1 });
    expect(broker).toMatchObject({ positionQty: '10', openOrders: 0 });
  });

  it('denies a short and a position over the limit on the ledger position, as on the broker one', async () => {
    const s = await setup({ allowShort: false, maxPositionNotional: '2200' });
    await s.safety.marketData.refresh();
    const sell = (qty: string): OrderIntent => ({ ...buy('AAPL', qty), side: 'sell' });
    const codes = async (trusted: boolean, intent: OrderIntent) =>
      (await preSubmitDenials(s.ctx(trusted), intent, 'entry')).map((d) => d.code);
    for (const trusted of [true, false]) {
      expect(await codes(trusted, sell('11'))).toContain('SHORT_NOT_ALLOWED');
      expect(await codes(trusted, sell('10'))).toEqual([]);
      expect(await codes(trusted, buy('AAPL', '2'))).toContain('POSITION_NOTIONAL_LIMIT'); // 12 x $190
      expect(await codes(trusted, buy('AAPL', '1'))).toEqual([]);
    }
    // The stream reports a buy of 1 (ledger 11) the REST view does not show yet: the trusted
    // check decides on 11 (a sell of 11 is no short; a buy of 1 passes the limit), REST on 10.
    await s.store.positions.applyStreamQty(PROFILE, 'AAPL', '11', '190', s.clock.timestamp());
    expect(await codes(true, sell('11'))).toEqual([]);
    expect(await codes(false, sell('11'))).toContain('SHORT_NOT_ALLOWED');
    expect(await codes(true, buy('AAPL', '1'))).toContain('POSITION_NOTIONAL_LIMIT');
    expect(await codes(false, buy('AAPL', '1'))).toEqual([]);
  });
});

function deps(s: Setup) {
  return {
    store: s.store,
    broker: s.ctx(false).broker,
    clock: s.clock,
    ids: uuidGenerator,
    log: silentLog,
    notifier: null,
    status: new EngineStatus(),
    profileId: PROFILE,
    environment: 'paper' as const,
    options: s.safety.context.options,
  };
}
