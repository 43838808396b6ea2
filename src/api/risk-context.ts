/**
 * Gathers the RiskContext the draft preview needs from the ledger and the market-data cache,
 * without the broker: the effective trading state (the persisted one, tightened to REDUCING
 * while the engine's trade stream is down or its heartbeat is missing or stale), the asset and
 * quote the engine cached, the position, the latest account snapshot, open orders, orders of the
 * last minute and the market session the engine reported.
 *
 * A quote older than `quoteMaxAgeMs` (or none) is asked for: the symbol is registered with
 * `marketData.watch` and the cache is polled for up to `quoteWaitMs`. A price still missing then
 * is passed on as unknown, so the price checks deny with PRICE_UNAVAILABLE. An unknown market
 * session (nothing reported, unreadable, or stale) is assumed to be `core`, with a note on the
 * market_hours check: the engine re-checks authoritatively before it submits.
 *
 * Every age (heartbeat, quote, reported session, the last minute of orders) is measured against
 * the store's clock (`store.now()`, read once per gathering), the clock the engine's writes are
 * compared with; never this host's.
 */
import { isHealthyStreamState } from '../contract/stream-state.js';
import { readWatermark, WATERMARKS } from '../contract/watermarks.js';
import type { OrderIntent } from '../core/order-request.js';
import type { MarketSession, RiskContext, RiskQuote } from '../core/risk/risk-types.js';
import { timestampMs } from '../core/time.js';
import { effectiveTradingState } from '../core/trading-state.js';
import type { Heartbeat, QuoteRecord } from '../ports/store.js';
import type { ApiContext } from './context.js';

const NO_QUOTE: RiskQuote = { last: null, bid: null, ask: null };

export interface GatheredContext {
  ctx: RiskContext;
  /** Extra words for a check's message (check name -> note), e.g. an assumed session. */
  notes: Record<string, string>;
}

/** True when the engine's heartbeat is fresh (by the store's clock `nowMs`) and its stream works. */
export function streamHealthy(ctx: ApiContext, heartbeat: Heartbeat | null, nowMs: number): boolean {
  if (heartbeat === null) return false;
  const age = nowMs - timestampMs(heartbeat.at);
  return age <= ctx.options.engineStaleMs && isHealthyStreamState(heartbeat.streamState);
}

function quoteAgeMs(quote: QuoteRecord | null, nowMs: number): number | null {
  return quote === null ? null : nowMs - timestampMs(quote.at);
}

function fresh(ctx: ApiContext, quote: QuoteRecord | null, nowMs: number): boolean {
  const age = quoteAgeMs(quote, nowMs);
  return age !== null && age <= ctx.options.quoteMaxAgeMs;
}

const storeNowMs = async (ctx: ApiContext): Promise<number> => timestampMs(await ctx.store.now());

export interface JudgedQuote {
  quote: QuoteRecord | null;
  /** The store's time at which its freshness was judged. */
  atMs: number;
}

/** The cached quote when fresh; otherwise asks the engine for it and waits a little. */
export async function freshQuote(ctx: ApiContext, symbol: string, nowMs: number): Promise<JudgedQuote> {
  let quote = await ctx.store.marketData.getQuote(ctx.profileId, symbol);
  if (fresh(ctx, quote, nowMs)) return { quote, atMs: nowMs };
  await ctx.store.marketData.watch(ctx.profileId, symbol, new Date(nowMs).toISOString());
  const { quoteWaitMs, quotePollMs } = ctx.options;
  let atMs = nowMs;
  for (let waited = 0; waited < quoteWaitMs; waited += quotePollMs) {
    await ctx.clock.sleep(quotePollMs);
    quote = await ctx.store.marketData.getQuote(ctx.profileId, symbol);
    atMs = await storeNowMs(ctx);
    if (fresh(ctx, quote, atMs)) break;
  }
  return { quote, atMs };
}

/** The session the engine reported, or null when it is missing, unreadable or stale. */
export async function reportedSession(ctx: ApiContext, nowMs: number): Promise<MarketSession | null> {
  const mark = await readWatermark(ctx.store.watermarks, ctx.profileId, WATERMARKS.marketSession);
  if (mark === null) return null;
  const age = nowMs - timestampMs(mark.at);
  return age <= ctx.options.engineStaleMs ? mark.session : null;
}

async function orderCounts(ctx: ApiContext, nowMs: number): Promise<{ open: number; lastMinute: number }> {
  const since = new Date(nowMs - 60_000).toISOString();
  const [open, recent] = await Promise.all([
    ctx.store.orders.list(ctx.profileId, { status: 'open' }),
    ctx.store.orders.list(ctx.profileId, { status: 'all', since }),
  ]);
  return { open: open.length, lastMinute: recent.length };
}

/** Everything the risk engine needs for `intent`, read fresh from the store. */
export async function gatherRiskContext(
  ctx: ApiContext,
  intent: OrderIntent,
  storeNow?: number,
): Promise<GatheredContext> {
  const symbol = intent.symbol;
  const nowMs = storeNow ?? (await storeNowMs(ctx));
  const [state, heartbeat, asset, judged, positions, account, counts, session] = await Promise.all([
    ctx.store.tradingState.get(ctx.profileId),
    ctx.store.heartbeats.read(ctx.profileId),
    ctx.store.marketData.getAsset(ctx.profileId, symbol),
    freshQuote(ctx, symbol, nowMs),
    ctx.store.positions.list(ctx.profileId),
    ctx.store.accounts.latest(ctx.profileId),
    orderCounts(ctx, nowMs),
    reportedSession(ctx, nowMs),
  ]);
  const notes: Record<string, string> = {};
  const healthy = streamHealthy(ctx, heartbeat, nowMs);
  const tradingState = effectiveTradingState(state?.state ?? 'ACTIVE', healthy);
  if (!healthy && tradingState !== (state?.state ?? 'ACTIVE')) {
    notes.trading_state =
      heartbeat === null
        ? 'the engine has not reported a heartbeat, so only reducing orders are admitted'
        : `the engine's trade stream is ${heartbeat.streamState} or its heartbeat is stale, so only reducing orders are admitted`;
  }
  if (session === null) {
    notes.market_hours =
      'market session unknown (the engine has not reported it recently); assumed core hours';
  }
  if (account === null) {
    notes.buying_power = 'no account snapshot yet: equity and buying power count as 0';
  }
  const { quote, atMs } = judged;
  const age = quoteAgeMs(quote, atMs);
  const usable = fresh(ctx, quote, atMs) && quote !== null;
  if (!usable) {
    notes.price_known =
      age === null
        ? `no quote for ${symbol} is cached yet (asked the engine for one)`
        : `the cached quote for ${symbol} is ${Math.round(age / 1000)} s old`;
  }
  return {
    ctx: {
      intent,
      tradingState,
      asset:
        asset === null
          ? null
          : {
              tradable: asset.tradable,
              active: asset.status === 'active',
              fractionable: asset.fractionable,
              shortable: asset.shortable,
            },
      quote: usable ? { last: quote.last, bid: quote.bid, ask: quote.ask } : NO_QUOTE,
      positionQty: positions.find((p) => p.symbol === symbol)?.qty ?? '0',
      equity: account?.equity ?? '0',
      lastEquity: account?.lastEquity ?? '0',
      buyingPower: account?.buyingPower ?? '0',
      openOrders: counts.open,
      ordersLastMinute: counts.lastMinute,
      session: session ?? 'core',
    },
    notes,
  };
}
