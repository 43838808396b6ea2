// Accounting, positions, activities, portfolio history, clock, calendar, assets and market data
// through the official SDK.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dec } from '../../src/core/decimal.js';
import { type RunningSimulator, startSimulator } from '../../src/sim/server.js';
import { openStream, type Sdk, type StreamHandle, sdkFor, updateFor } from './sdk.js';

let sim: RunningSimulator;
let sdk: Sdk;
let stream: StreamHandle;

beforeAll(async () => {
  sim = await startSimulator({ spread: '0', rateLimit: 0 });
  sdk = sdkFor(sim);
  stream = await openStream(sim);
});

afterAll(async () => {
  stream.close();
  await sim.stop();
});

beforeEach(() => {
  sim.broker.reset(dec('100000'), []);
  sim.setPrices({ AAPL: '100', MSFT: '200', TSLA: '50' });
});

type Req = Parameters<Sdk['orders']['postOrder']>[0]['postOrderRequest'];
async function fill(req: Partial<Req>) {
  const order = await sdk.orders.postOrder({
    postOrderRequest: { symbol: 'AAPL', side: 'buy', type: 'market', timeInForce: 'day', ...req } as Req,
  });
  return stream.next(updateFor(order.id as string, 'fill'));
}

describe('accounting', () => {
  it('keeps equity = cash + long + short market value, with weighted average entry', async () => {
    await fill({ qty: '10' });
    sim.setPrices({ AAPL: '110' });
    await fill({ qty: '10' });
    sim.setPrices({ AAPL: '120' });
    const pos = await sdk.positions.getOpenPosition({ symbolOrAssetId: 'AAPL' });
    expect(pos).toMatchObject({
      qty: '20',
      qtyAvailable: '20',
      side: 'long',
      avgEntryPrice: '105',
      costBasis: '2100',
      marketValue: '2400',
      currentPrice: '120',
      unrealizedPl: '300',
      exchange: 'NASDAQ',
    });
    expect(Number(pos.unrealizedPlpc)).toBeCloseTo(300 / 2100, 10);
    const account = await sdk.account.getAccount();
    expect(account.cash).toBe('97900');
    expect(account.longMarketValue).toBe('2400');
    expect(account.equity).toBe('100300');
    expect(account.portfolioValue).toBe('100300');
    expect(account.lastEquity).toBe('100000');
    expect(account.multiplier).toBe('2');
    expect(account.buyingPower).toBe(dec('100300').minus(1200).times(2).toString());
    expect(account.pattern_day_trader).toBeUndefined();
  });

  it('reports shorts with negative qty and market value, and reduces equity as the price rises', async () => {
    const short = await fill({ symbol: 'TSLA', side: 'sell', qty: '10' });
    expect(short.positionQty).toBe('-10');
    sim.setPrices({ TSLA: '55' });
    const pos = await sdk.positions.getOpenPosition({ symbolOrAssetId: 'TSLA' });
    expect(pos).toMatchObject({
      qty: '-10',
      side: 'short',
      marketValue: '-550',
      costBasis: '-500',
      unrealizedPl: '-50',
    });
    const account = await sdk.account.getAccount();
    expect(account.cash).toBe('100500');
    expect(account.shortMarketValue).toBe('-550');
    expect(account.equity).toBe('99950');
  });

  it('computes intraday P/L against the previous close after an end of day', async () => {
    await fill({ qty: '10' });
    const eod = await fetch(`${sim.tradingUrl}/_sim/eod`, {
      method: 'POST',
      headers: { 'APCA-API-KEY-ID': sim.keyId, 'APCA-API-SECRET-KEY': sim.secret },
    });
    expect(await eod.json()).toMatchObject({ equity: '100000' });
    sim.setPrices({ AAPL: '104' });
    const pos = await sdk.positions.getOpenPosition({ symbolOrAssetId: 'AAPL' });
    expect(pos).toMatchObject({ lastdayPrice: '100', changeToday: '0.04', unrealizedIntradayPl: '40' });
    expect((await sdk.account.getAccount()).lastEquity).toBe('100000');
  });
});

describe('closing positions', () => {
  it('closes part of a position by qty and by percentage with a market DAY order', async () => {
    await fill({ qty: '10' });
    const byQty = await sdk.positions.deleteOpenPosition({ symbolOrAssetId: 'AAPL', qty: 4 });
    expect(byQty).toMatchObject({ side: 'sell', type: 'market', timeInForce: 'day', qty: '4' });
    await stream.next(updateFor(byQty.id as string, 'fill'));
    const byPct = await sdk.positions.deleteOpenPosition({ symbolOrAssetId: 'AAPL', percentage: 50 });
    expect(byPct.qty).toBe('3');
    await stream.next(updateFor(byPct.id as string, 'fill'));
    expect((await sdk.positions.getOpenPosition({ symbolOrAssetId: 'AAPL' })).qty).toBe('3');
    const rest = await sdk.positions.deleteOpenPosition({ symbolOrAssetId: 'AAPL' });
    await stream.next(updateFor(rest.id as string, 'fill'));
    await expect(sdk.positions.getOpenPosition({ symbolOrAssetId: 'AAPL' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('close-all answers 207 per symbol, with held shares failing inside the 207', async () => {
    await fill({ qty: '5' });
    await fill({ symbol: 'MSFT', qty: '2' });
    await sdk.orders.postOrder({
      postOrderRequest: {
        symbol: 'MSFT',
        side: 'sell',
        type: 'limit',
        limitPrice: '300',
        qty: '2',
        timeInForce: 'gtc',
      },
    });
    const raw = await sdk.positions.deleteAllOpenPositionsRaw({});
    expect(raw.raw.status).toBe(207);
    const results = await raw.value();
    expect(results.map((r) => [r.symbol, r.status])).toEqual([
      ['AAPL', 200],
      ['MSFT', 403],
    ]);
    expect(results[1]?.body).toMatchObject({ code: 40310000, held_for_orders: '2' });
    const withCancel = await sdk.positions.deleteAllOpenPositions({ cancelOrders: true });
    expect(withCancel.map((r) => r.status)).toEqual([200]);
    await stream.next((u) => u.event === 'fill' && u.order.symbol === 'MSFT' && u.order.side === 'sell');
    expect(await sdk.positions.getAllOpenPositions()).toEqual([]);
  });
});

describe('close faults', () => {
  async function faults(body: unknown) {
    await fetch(`${sim.tradingUrl}/_sim/faults`, {
      method: 'POST',
      headers: {
        'APCA-API-KEY-ID': sim.keyId,
        'APCA-API-SECRET-KEY': sim.secret,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(body),
    });
  }

  it('fails position closes with close_error_rate: per symbol inside close-all, and close-one with a 500', async () => {
    await fill({ qty: '5' });
    await fill({ symbol: 'MSFT', qty: '2' });
    await faults({ close_error_rate: 1 });
    try {
      const results = await sdk.positions.deleteAllOpenPositions({ cancelOrders: true });
      expect(results.map((r) => [r.symbol, r.status])).toEqual([
        ['AAPL', 500],
        ['MSFT', 500],
      ]);
      expect(results[0]?.body).toMatchObject({ code: 50010000, message: 'failed to liquidate' });
      await expect(sdk.positions.deleteOpenPosition({ symbolOrAssetId: 'AAPL' })).rejects.toMatchObject({
        status: 500,
      });
      expect((await sdk.positions.getAllOpenPositions()).map((p) => p.symbol)).toEqual(['AAPL', 'MSFT']);
    } finally {
      await faults({});
    }
    const retried = await sdk.positions.deleteAllOpenPositions({ cancelOrders: true });
    expect(retried.map((r) => r.status)).toEqual([200, 200]);
  });
});

describe('activities and portfolio history', () => {
  it('records one FILL activity per execution and pages with page_token', async () => {
    await fill({ qty: '1' });
    await fill({ qty: '2' });
    await fill({ qty: '3' });
    const all = await sdk.activities.getAccountActivitiesByActivityType({ activityType: 'FILL' });
    expect(all.map((a) => a.qty)).toEqual(['3', '2', '1']);
    const [first] = (await sdk.activities.getAccountActivities({ activityTypes: ['FILL'] })) as Record<
      string,
      unknown
    >[];
    expect(first).toMatchObject({
      activity_type: 'FILL',
      type: 'fill',
      side: 'buy',
      symbol: 'AAPL',
      leaves_qty: '0',
      cum_qty: '3',
      order_status: 'filled',
    });
    expect(String(first?.id)).toMatch(/^\d{17}::[0-9a-f-]{36}$/);
    const page1 = await sdk.activities.getAccountActivities({
      activityTypes: ['FILL'],
      pageSize: 2,
      direction: 'asc',
    });
    expect(page1.map((a) => a.qty)).toEqual(['1', '2']);
    const page2 = await sdk.activities.getAccountActivities({
      pageSize: 2,
      direction: 'asc',
      pageToken: page1[1]?.id,
    });
    expect(page2.map((a) => a.qty)).toEqual(['3']);
    const page3 = await sdk.activities.getAccountActivities({
      pageSize: 2,
      direction: 'asc',
      pageToken: page2[0]?.id,
    });
    expect(page3).toEqual([]);
    const dividends = await sdk.activities.getAccountActivitiesByActivityType({ activityType: 'DIV' });
    expect(dividends).toEqual([]);
  });

  it('serves portfolio history as arrays of numbers with epoch-second timestamps', async () => {
    await fill({ qty: '10' });
    sim.setPrices({ AAPL: '110' });
    const history = await sdk.history.getAccountPortfolioHistory({
      period: '1D',
      timeframe: '1Min',
      intradayReporting: 'continuous',
    });
    expect(history.timeframe).toBe('1Min');
    expect(history.baseValue).toBe(100000);
    expect(history.timestamp.length).toBeGreaterThan(60);
    expect(history.timestamp.every((t) => Number.isInteger(t) && t < 1e11)).toBe(true);
    expect(history.equity.at(-1)).toBe(100100);
    expect(history.profitLoss.at(-1)).toBe(100);
    expect(history.profitLossPct.at(-1)).toBeCloseTo(0.001, 6);
    const daily = await sdk.history.getAccountPortfolioHistory({ period: '1A' });
    expect(daily.timeframe).toBe('1D');
    await expect(sdk.history.getAccountPortfolioHistory({ period: '2Q' })).rejects.toMatchObject({
      status: 422,
    });
  });
});

describe('clock, calendar, assets, market data', () => {
  it('serves the clock with ET offsets and the calendar with session fields', async () => {
    const clock = await sdk.clock.legacyClock();
    expect(clock.isOpen).toBe(true);
    expect(clock.nextClose.getTime()).toBeGreaterThan(Date.now() - 1000);
    const days = await sdk.calendar.legacyCalendar({
      start: new Date('2026-11-23'),
      end: new Date('2026-11-30'),
    });
    expect(days.map((d) => d.date.toISOString().slice(0, 10))).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-27',
      '2026-11-30',
    ]);
    const blackFriday = days[3];
    expect(blackFriday).toMatchObject({
      open: '09:30',
      close: '13:00',
      sessionOpen: '0400',
      sessionClose: '1700',
    });
    expect(blackFriday?.settlementDate.toISOString().slice(0, 10)).toBe('2026-11-30');
  });

  it('lists assets with their trading attributes', async () => {
    const assets = await sdk.assets.getV2Assets({});
    expect(assets.map((a) => a.symbol)).toContain('AAPL');
    const aapl = await sdk.assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: 'AAPL' });
    expect(aapl).toMatchObject({
      symbol: 'AAPL',
      _class: 'us_equity',
      tradable: true,
      fractionable: true,
      shortable: true,
    });
    const byId = await sdk.assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: aapl.id });
    expect(byId.symbol).toBe('AAPL');
    await expect(sdk.assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: 'ZZZZ' })).rejects.toMatchObject({
      status: 404,
    });
    const inactive = await sdk.assets.getV2Assets({ status: 'inactive' });
    expect(inactive.map((a) => a.symbol)).toEqual(['GONE']);
  });

  it('serves latest trades and quotes in the data API shape', async () => {
    sim.setPrices({ AAPL: { last: '100', bid: '99.98', ask: '100.02' } });
    const trade = await sdk.stocks.stockLatestTradeSingle({ symbol: 'AAPL' });
    expect(trade.symbol).toBe('AAPL');
    expect(trade.trade.p).toBe(100);
    const quotes = await sdk.stocks.stockLatestQuotes({ symbols: 'AAPL,MSFT,NOPE' });
    expect(Object.keys(quotes.quotes).sort()).toEqual(['AAPL', 'MSFT']);
    expect(quotes.quotes.AAPL).toMatchObject({ bp: 99.98, ap: 100.02 });
    const trades = await sdk.stocks.stockLatestTrades({ symbols: 'MSFT' });
    expect(trades.trades.MSFT?.p).toBe(200);
    const quote = await sdk.stocks.stockLatestQuoteSingle({ symbol: 'MSFT' });
    expect(quote.quote.t).toBeInstanceOf(Date);
    await expect(sdk.stocks.stockLatestTradeSingle({ symbol: 'NOPE' })).rejects.toMatchObject({
      status: 404,
    });
  });
});
