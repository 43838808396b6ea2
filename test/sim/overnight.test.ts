// The overnight session (20:00-04:00 ET, Sunday night to Friday morning) on the calendar clock:
// the /v3/clock phase, the v2 clock, and extended-hours limit orders on `overnight_tradable` assets
// filling overnight while everything else waits for its session. Through the official SDK.
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../../src/sim/server.js';
import { openStream, type Sdk, sdkFor, updateFor } from './sdk.js';

const running: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

// Monday 2026-08-03, 21:00 ET: overnight (into Tuesday).
async function start(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({
    rateLimit: 0,
    spread: '0',
    clock: 'calendar',
    startTime: '2026-08-03T21:00:00-04:00',
    ...options,
  });
  running.push(sim);
  sim.setPrices({ AAPL: '100', F: '10' });
  return sim;
}

type Req = Parameters<Sdk['orders']['postOrder']>[0]['postOrderRequest'];
const submit = (sim: RunningSimulator, req: Partial<Req>) =>
  sdkFor(sim).orders.postOrder({
    postOrderRequest: {
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      limitPrice: '99',
      timeInForce: 'day',
      qty: '1',
      extendedHours: true,
      ...req,
    } as Req,
  });

describe('overnight session', () => {
  it('is a /v3/clock phase from 20:00 to 04:00 ET; the v2 clock stays closed', async () => {
    const sim = await start();
    const api = sdkFor(sim).clock;
    const [monday] = (await api.clock({})).clocks;
    expect(monday).toMatchObject({ phase: 'overnight' });
    expect(monday?.phaseUntil.toISOString()).toBe('2026-08-04T08:00:00.000Z');
    expect((await api.legacyClock()).isOpen).toBe(false);
    const post = await api.clock({ time: new Date('2026-08-03T23:00:00Z') });
    expect(post.clocks[0]).toMatchObject({ phase: 'post' });
    expect(post.clocks[0]?.phaseUntil.toISOString()).toBe('2026-08-04T00:00:00.000Z');
    const friday = await api.clock({ time: new Date('2026-08-08T01:00:00Z') });
    expect(friday.clocks[0]).toMatchObject({ phase: 'closed' });
    expect(friday.clocks[0]?.phaseUntil.toISOString()).toBe('2026-08-10T00:00:00.000Z');
    const sunday = await api.clock({ time: new Date('2026-08-10T01:00:00Z') });
    expect(sunday.clocks[0]).toMatchObject({ phase: 'overnight', isMarketDay: false });
  });

  it('lets extended-hours limit orders on overnight_tradable assets trade overnight', async () => {
    const sim = await start();
    const s = await openStream(sim);
    const aapl = await sdkFor(sim).assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: 'AAPL' });
    expect(aapl.attributes).toContain('overnight_tradable');
    const order = await submit(sim, {});
    expect(order.status).toBe('pending_new');
    await s.next(updateFor(order.id as string, 'new'));
    sim.setPrices({ AAPL: '98.50' });
    const fill = await s.next(updateFor(order.id as string, 'fill'));
    expect(fill.price).toBe('98.5');
    // Good through the overnight session and Tuesday's sessions.
    expect(order.expiresAt?.toISOString()).toBe('2026-08-05T00:00:00.000Z');
    s.close();
  });

  it('keeps everything else waiting: non-overnight assets, regular-hours orders, overnight trading disabled', async () => {
    const sim = await start();
    const s = await openStream(sim);
    const f = await sdkFor(sim).assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: 'F' });
    expect(f.attributes ?? []).not.toContain('overnight_tradable');
    const notOvernight = await submit(sim, { symbol: 'F', limitPrice: '11' });
    const regular = await submit(sim, { extendedHours: false, limitPrice: '101' });
    expect([notOvernight.status, regular.status]).toEqual(['accepted', 'accepted']);
    await sdkFor(sim).configs.patchAccountConfig({
      accountConfigurations: { disableOvernightTrading: true },
    });
    const disabled = await submit(sim, { limitPrice: '101' });
    expect(disabled.status).toBe('accepted');
    // Pre-market (04:00): the extended-hours orders route and fill; the regular one waits for 09:30.
    sim.setTime('2026-08-04T04:00:01-04:00');
    await s.next(updateFor(notOvernight.id as string, 'fill'));
    await s.next(updateFor(disabled.id as string, 'fill'));
    expect((await sdkFor(sim).orders.getOrderByOrderID({ orderId: regular.id as string })).status).toBe(
      'accepted',
    );
    sim.setTime('2026-08-04T09:30:01-04:00');
    await s.next(updateFor(regular.id as string, 'fill'));
    s.close();
  });
});
