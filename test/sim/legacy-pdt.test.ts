// Legacy pattern-day-trading protection behind `legacyPdt` (§3.6): day trades counted per ET day,
// the 4th in 5 business days refused on exit with 403 40310100 while last_equity < $25,000, working
// exits on positions opened today counted as potential day trades. Through the official SDK.
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../../src/sim/server.js';
import { openStream, type Sdk, type StreamHandle, sdkFor, updateFor } from './sdk.js';

const running: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

// Tuesday 2026-08-04, 11:00 ET, frozen.
async function start(options: SimulatorOptions = {}): Promise<{ sim: RunningSimulator; s: StreamHandle }> {
  const sim = await startSimulator({
    rateLimit: 0,
    spread: '0',
    cash: '10000',
    legacyPdt: true,
    clock: 'calendar',
    startTime: '2026-08-04T11:00:00-04:00',
    ...options,
  });
  running.push(sim);
  sim.setPrices({ AAPL: '100', MSFT: '200', TSLA: '50' });
  return { sim, s: await openStream(sim) };
}

type Req = Parameters<Sdk['orders']['postOrder']>[0]['postOrderRequest'];
const submit = (sim: RunningSimulator, req: Partial<Req>) =>
  sdkFor(sim).orders.postOrder({
    postOrderRequest: {
      symbol: 'AAPL',
      side: 'buy',
      type: 'market',
      timeInForce: 'day',
      qty: '1',
      ...req,
    } as Req,
  });

async function filled(sim: RunningSimulator, s: StreamHandle, req: Partial<Req>) {
  const order = await submit(sim, req);
  return s.next(updateFor(order.id as string, 'fill'));
}

async function roundTrip(sim: RunningSimulator, s: StreamHandle, symbol: string) {
  await filled(sim, s, { symbol, side: 'buy' });
  await filled(sim, s, { symbol, side: 'sell' });
}

async function daytradeCount(sim: RunningSimulator): Promise<number> {
  const res = await sdkFor(sim).account.getAccountRaw();
  const body = (await res.raw.json()) as { daytrade_count: number };
  return body.daytrade_count;
}

const denied = { status: 403, code: 40310100, message: 'trade denied due to pattern day trading protection' };

describe('legacy PDT', () => {
  it('counts day trades and refuses the exit that would make the 4th in 5 business days', async () => {
    const { sim, s } = await start();
    await roundTrip(sim, s, 'AAPL');
    await roundTrip(sim, s, 'MSFT');
    await roundTrip(sim, s, 'AAPL');
    expect(await daytradeCount(sim)).toBe(3);
    await filled(sim, s, { symbol: 'TSLA' });
    await expect(submit(sim, { symbol: 'TSLA', side: 'sell' })).rejects.toMatchObject(denied);
    // Entries are not refused, and nothing was recorded for the refused exit.
    await filled(sim, s, { symbol: 'TSLA' });
    expect((await sdkFor(sim).positions.getOpenPosition({ symbolOrAssetId: 'TSLA' })).qty).toBe('2');
    expect(await daytradeCount(sim)).toBe(3);
    s.close();
  });

  it('a position held overnight can be closed; the count leaves the window after 5 business days', async () => {
    const { sim, s } = await start({ positions: [{ symbol: 'TSLA', qty: '5', avg_entry_price: '50' }] });
    for (const symbol of ['AAPL', 'MSFT', 'AAPL']) await roundTrip(sim, s, symbol);
    await filled(sim, s, { symbol: 'TSLA', side: 'sell' });
    expect(await daytradeCount(sim)).toBe(3);
    // Tue 08-04 + 4 business days = Mon 08-10 (still in the window); Tue 08-11 is out.
    sim.setTime('2026-08-10T11:00:00-04:00');
    expect(await daytradeCount(sim)).toBe(3);
    sim.setTime('2026-08-11T11:00:00-04:00');
    expect(await daytradeCount(sim)).toBe(0);
    s.close();
  });

  it('counts working exits on positions opened today as potential day trades', async () => {
    const { sim, s } = await start();
    await roundTrip(sim, s, 'AAPL');
    await roundTrip(sim, s, 'MSFT');
    await filled(sim, s, { symbol: 'AAPL' });
    const exit = await submit(sim, { symbol: 'AAPL', side: 'sell', type: 'limit', limitPrice: '150' });
    await s.next(updateFor(exit.id as string, 'new'));
    await filled(sim, s, { symbol: 'TSLA' });
    await expect(submit(sim, { symbol: 'TSLA', side: 'sell' })).rejects.toMatchObject(denied);
    await sdkFor(sim).orders.deleteOrderByOrderID({ orderId: exit.id as string });
    await s.next(updateFor(exit.id as string, 'canceled'));
    await filled(sim, s, { symbol: 'TSLA', side: 'sell' });
    expect(await daytradeCount(sim)).toBe(3);
    s.close();
  });

  it('does not refuse when last_equity is at least $25,000', async () => {
    const { sim, s } = await start({ cash: '25000' });
    for (const symbol of ['AAPL', 'MSFT', 'AAPL', 'TSLA']) await roundTrip(sim, s, symbol);
    expect(await daytradeCount(sim)).toBe(4);
    s.close();
  });

  it('is off by default: no refusal and no legacy fields', async () => {
    const { sim, s } = await start({ legacyPdt: false });
    for (const symbol of ['AAPL', 'MSFT', 'AAPL', 'TSLA']) await roundTrip(sim, s, symbol);
    expect(await daytradeCount(sim)).toBeUndefined();
    s.close();
  });
});
