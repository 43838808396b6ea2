/**
 * The draft's verdict comes from the full risk engine on a context the API reads from the store:
 * one denial per class of check the API can produce, table-driven, plus the quote wait and the
 * unknown-session assumption.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeOrder, makePosition } from '../storage/fixtures.js';
import { type Harness, harness, heartbeat, marketBuy, NOW, PROFILE, seedMarket } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

interface Case {
  name: string;
  code: string;
  check: string;
  body?: object;
  env?: Record<string, string>;
  setup?: (h: Harness) => Promise<void>;
}

const ago = (seconds: number) => new Date(Date.parse(NOW) - seconds * 1000).toISOString();

const setState = (state: 'HALTED' | 'REDUCING') => async (x: Harness) =>
  x.store.tradingState.set({ profileId: PROFILE, state, reason: 't', changedBy: 'test', changedAt: ago(60) });

const CASES: Case[] = [
  {
    name: 'a symbol on the deny list',
    code: 'SYMBOL_DENIED',
    check: 'symbol_lists',
    env: { RISK_SYMBOL_DENYLIST: 'AAPL' },
  },
  {
    name: 'a symbol off the allow list',
    code: 'SYMBOL_NOT_ALLOWED',
    check: 'symbol_lists',
    env: { RISK_SYMBOL_ALLOWLIST: 'MSFT' },
  },
  {
    name: 'an order quantity above the limit',
    code: 'ORDER_QTY_LIMIT',
    check: 'order_size',
    body: { ...marketBuy, qty: '1001' },
  },
  {
    name: 'an order notional above the limit',
    code: 'ORDER_NOTIONAL_LIMIT',
    check: 'order_size',
    body: { ...marketBuy, qty: '150' },
  },
  {
    name: 'a sell that would go short',
    code: 'SHORT_NOT_ALLOWED',
    check: 'no_accidental_short',
    body: { ...marketBuy, side: 'sell' },
  },
  {
    name: 'a limit price outside the collar',
    code: 'PRICE_COLLAR',
    check: 'price_collar',
    body: { ...marketBuy, type: 'limit', limit_price: '120' },
  },
  {
    name: 'a fractional GTC order',
    code: 'FRACTIONAL_DAY_ONLY',
    check: 'fractional_day_only',
    body: { ...marketBuy, qty: '1.5', time_in_force: 'gtc' },
  },
  {
    name: 'a symbol with no cached quote',
    code: 'PRICE_UNAVAILABLE',
    check: 'price_known',
    setup: async (x) =>
      x.store.marketData.upsertAssets(PROFILE, [
        {
          symbol: 'TSLA',
          name: 'Tesla',
          status: 'active',
          tradable: true,
          fractionable: true,
          shortable: true,
          easyToBorrow: true,
          updatedAt: NOW,
        },
      ]),
    body: { ...marketBuy, symbol: 'TSLA' },
  },
  {
    name: 'a quote older than a minute',
    code: 'PRICE_UNAVAILABLE',
    check: 'price_known',
    setup: async (x) => {
      await x.db
        .updateTable('quotes')
        .set({ at: ago(120), at_key: `${ago(120).slice(0, -1)}000000Z` })
        .execute();
    },
  },
  {
    name: 'a symbol the broker does not know',
    code: 'ASSET_UNKNOWN',
    check: 'asset',
    body: { ...marketBuy, symbol: 'NOPE' },
  },
  {
    name: 'an asset that is not tradable',
    code: 'ASSET_NOT_TRADABLE',
    check: 'asset',
    setup: async (x) => {
      await x.db.updateTable('assets').set({ tradable: 0 }).where('symbol', '=', 'AAPL').execute();
    },
  },
  { name: 'trading HALTED', code: 'TRADING_HALTED', check: 'trading_state', setup: setState('HALTED') },
  { name: 'trading REDUCING', code: 'TRADING_REDUCING', check: 'trading_state', setup: setState('REDUCING') },
  {
    name: 'a buy while the trade stream is down (REDUCING)',
    code: 'TRADING_REDUCING',
    check: 'trading_state',
    setup: async (x) => x.store.heartbeats.write(heartbeat({ streamState: 'disconnected' })),
  },
  {
    name: 'a buy while the engine heartbeat is stale (REDUCING)',
    code: 'TRADING_REDUCING',
    check: 'trading_state',
    setup: async (x) => x.store.heartbeats.write(heartbeat({ at: ago(600) })),
  },
  {
    name: 'a market order when the market is closed',
    code: 'MARKET_CLOSED',
    check: 'market_hours',
    setup: async (x) =>
      x.store.watermarks.set(PROFILE, 'market_session', JSON.stringify({ session: 'closed', at: NOW })),
  },
  {
    name: 'too many open orders',
    code: 'OPEN_ORDERS_LIMIT',
    check: 'order_counts',
    env: { RISK_MAX_OPEN_ORDERS: '1' },
    setup: async (x) => void (await x.store.orders.apply(PROFILE, makeOrder({ createdAt: ago(3600) }))),
  },
  {
    name: 'too many orders in the last minute',
    code: 'ORDER_RATE_LIMIT',
    check: 'order_counts',
    env: { RISK_MAX_ORDERS_PER_MINUTE: '1' },
    setup: async (x) =>
      void (await x.store.orders.apply(PROFILE, makeOrder({ status: 'filled', createdAt: ago(10) }))),
  },
  {
    name: 'a position above its share of equity',
    code: 'POSITION_SHARE_LIMIT',
    check: 'position_size',
    env: { RISK_MAX_POSITION_PCT_EQUITY: '0.5' },
  },
  {
    name: 'a buy beyond the buying power',
    code: 'INSUFFICIENT_BUYING_POWER',
    check: 'buying_power',
    setup: async (x) => {
      await x.db.updateTable('account_snapshots').set({ buying_power: '500' }).execute();
    },
  },
  {
    name: 'a buy after the daily loss limit tripped',
    code: 'DAILY_LOSS_LIMIT',
    check: 'daily_loss',
    setup: async (x) => {
      await x.db.updateTable('account_snapshots').set({ equity: '90000', last_equity: '100000' }).execute();
    },
  },
  {
    name: 'a price with too many decimals',
    code: 'PRICE_PRECISION',
    check: 'precision',
    body: { ...marketBuy, type: 'limit', limit_price: '100.123' },
  },
];

async function draft(body: object) {
  return h.request({ method: 'POST', url: '/commands/draft', payload: body });
}

describe('draft verdict from the risk engine', () => {
  it.each(CASES)('denies $name with $code', async (c) => {
    h = await harness({ env: c.env ?? {} });
    await seedMarket(h.store);
    await c.setup?.(h);
    const r = await draft(c.body ?? marketBuy);
    expect(r.statusCode).toBe(201);
    const d = r.json();
    expect(d.status).toBe('denied');
    expect(d.verdict.allowed).toBe(false);
    const denial = d.verdict.checks.find((x: { code: string | null }) => x.code === c.code);
    expect(denial, JSON.stringify(d.verdict.checks)).toMatchObject({ check: c.check, passed: false });
    expect(denial.message.length).toBeGreaterThan(10);
    const confirm = await h.request({
      method: 'POST',
      url: '/commands/confirm',
      payload: { draft_id: d.id },
    });
    expect(confirm.statusCode).toBe(409);
    expect(confirm.json().error.code).toBe('draft_denied');
    expect(await h.commandCount()).toBe(0);
  });

  it('admits a sell that reduces a position while the trade stream is down', async () => {
    h = await harness();
    await seedMarket(h.store);
    await h.store.heartbeats.write(heartbeat({ streamState: 'disconnected' }));
    await h.store.positions.replaceAll(PROFILE, [makePosition({ symbol: 'AAPL', qty: '10' })], NOW);
    const d = (await draft({ ...marketBuy, side: 'sell', qty: '4' })).json();
    expect(d.verdict.allowed).toBe(true);
    expect(d.verdict.checks[0].message).toContain('disconnected');
  });

  it('assumes core hours when the engine has not reported the session, and says so', async () => {
    h = await harness();
    await seedMarket(h.store);
    await h.db.deleteFrom('watermarks').execute();
    const d = (await draft(marketBuy)).json();
    expect(d.verdict.allowed).toBe(true);
    const hours = d.verdict.checks.find((c: { check: string }) => c.check === 'market_hours');
    expect(hours).toMatchObject({ passed: true });
    expect(hours.message).toContain('market session unknown');
    await h.store.watermarks.set(PROFILE, 'market_session', 'not json');
    expect((await draft(marketBuy)).json().verdict.allowed).toBe(true);
    await h.store.watermarks.set(
      PROFILE,
      'market_session',
      JSON.stringify({ session: 'closed', at: ago(3600) }),
    );
    expect((await draft(marketBuy)).json().verdict.allowed).toBe(true);
  });

  it('denies every buy without an engine heartbeat or an account snapshot, and says why', async () => {
    h = await harness();
    const d = (await draft(marketBuy)).json();
    expect(d.status).toBe('denied');
    const codes = d.verdict.checks
      .filter((c: { passed: boolean }) => !c.passed)
      .map((c: { code: string }) => c.code);
    expect(codes).toEqual(expect.arrayContaining(['TRADING_REDUCING', 'ASSET_UNKNOWN', 'PRICE_UNAVAILABLE']));
    expect(d.verdict.checks[0].message).toContain('heartbeat');
  });

  it('asks the engine for a missing quote and waits for it', async () => {
    h = await harness({ options: { quoteWaitMs: 2000, quotePollMs: 100 } });
    await seedMarket(h.store, { symbols: { AAPL: '100', TSLA: '250' } });
    await h.db.deleteFrom('quotes').where('symbol', '=', 'TSLA').execute();
    let settled = false;
    const pending = draft({ ...marketBuy, symbol: 'TSLA', qty: '2' }).finally(() => {
      settled = true;
    });
    while ((await h.store.marketData.watchedSymbols(PROFILE, NOW)).length === 0) {
      await new Promise((r) => setTimeout(r, 2));
    }
    await h.store.marketData.upsertQuotes(PROFILE, [
      { symbol: 'TSLA', last: '250', bid: '249.9', ask: '250.1', at: h.clock.timestamp() },
    ]);
    while (!settled) {
      await h.clock.advance(100);
      await new Promise((r) => setTimeout(r, 2));
    }
    const d = (await pending).json();
    expect(d.verdict.allowed).toBe(true);
    expect(d.preview.estimated_price).toBe('250.1');
    expect(await h.store.marketData.watchedSymbols(PROFILE, NOW)).toEqual(['TSLA']);
  });

  it('gives up after the wait and denies with PRICE_UNAVAILABLE, naming the request to the engine', async () => {
    h = await harness({ options: { quoteWaitMs: 300, quotePollMs: 100 } });
    await seedMarket(h.store);
    await h.db.deleteFrom('quotes').execute();
    let settled = false;
    const pending = draft(marketBuy).finally(() => {
      settled = true;
    });
    while (!settled) {
      await h.clock.advance(100);
      await new Promise((r) => setTimeout(r, 2));
    }
    const d = (await pending).json();
    const price = d.verdict.checks.find((c: { check: string }) => c.check === 'price_known');
    expect(price).toMatchObject({ passed: false, code: 'PRICE_UNAVAILABLE' });
    expect(price.message).toContain('asked the engine');
  });

  it('re-runs the checks at confirm time on fresh state', async () => {
    h = await harness({ env: { RISK_MAX_OPEN_ORDERS: '1' } });
    await seedMarket(h.store);
    const d = (await draft(marketBuy)).json();
    expect(d.verdict.allowed).toBe(true);
    await h.store.orders.apply(PROFILE, makeOrder({ createdAt: ago(3600) }));
    const r = await h.request({ method: 'POST', url: '/commands/confirm', payload: { draft_id: d.id } });
    expect(r.statusCode).toBe(409);
    const codes = r.json().error.details.verdict.checks.map((c: { code: string | null }) => c.code);
    expect(codes).toContain('OPEN_ORDERS_LIMIT');
  });
});
