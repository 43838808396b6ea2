/**
 * The authoritative risk check before a submit: a RiskContext of current state, then the same
 * pure `assessOrder` the API's preview ran. Returns the denied checks (empty = allowed).
 *
 * Where each input comes from (all gathered in parallel; REST reads go on the order's lane):
 * - account (equity, last equity, buying power): always a REST `getAccount`. It moves with every
 *   fill and every price tick, and nothing local follows it closely enough.
 * - position quantity and open-order count: the ledger while `ctx.ledgerTrusted()` (the engine's
 *   trade stream is healthy, i.e. listening with its gap back-filled, and no lost event is known
 *   that the reconciliation has not repaired yet), once the events already received are stored
 *   (`ctx.ledgerCaughtUp()`; a backlog that takes longer than a moment sends the read to REST). Each trade event writes the
 *   order's status and the broker's `position_qty` in ONE transaction, within ms of the broker's
 *   event, and submit stores the order it placed before it finishes; the ledger also sees orders
 *   and fills placed outside Centaur (the stream reports the whole account). Otherwise (stream
 *   down, reconnecting, or disabled) REST `listPositions` and `listOrders(open)`, as before.
 * - quote: the market cache (what the refresher read from the broker) when read less than
 *   QUOTE_MAX_AGE_MS (5 s) ago, else REST `getQuotes`.
 * - asset: the market cache when read within the asset refresh period, else REST `getAsset`.
 * - clock: the cached broker clock while before its next open/close and recent, else REST
 *   `getClock` (rules in ../safety/market-cache.ts).
 * - orders of the last minute: the ledger; trading state: the engine's effective state.
 *
 * Why this is still authoritative: the ledger is stream-fed and only trusted while the stream is
 * healthy; the caches hold broker answers of bounded age, keyed on when they were read; anything
 * missing or older is read from the broker. What it gives up is small and bounded: a fill whose
 * event is still in flight (ms) is not yet in the position (a REST read made just before that fill
 * would miss it too); an open order whose closing event is late still counts (the safe direction);
 * an event the stream lost, or a position change with no trade event (a split, say), shows once
 * reconciliation repairs the ledger, as everywhere else the ledger is read.
 * With a healthy stream and warm caches a confirm costs 2 REST calls (account, submit), not 7.
 */
import type { DecimalString } from '../../core/decimal.js';
import type { RiskCheckResult } from '../../core/draft.js';
import type { OrderIntent } from '../../core/order-request.js';
import { DENIAL_CODES, type DenialCode } from '../../core/risk/denial-codes.js';
import { assessOrder } from '../../core/risk/risk-engine.js';
import type { RiskContext } from '../../core/risk/risk-types.js';
import type { Asset, MarketClock, Quote, RequestLane, RequestOptions } from '../../ports/broker.js';
import { StaleFenceError } from '../../ports/store.js';
import { LeaseLostError } from '../lease.js';
import { marketSession } from '../market-data.js';
import { freshAsset, freshClock, freshQuote } from '../safety/market-cache.js';
import type { CommandContext } from './command-context.js';

interface Book {
  positionQty: DecimalString;
  openOrders: number;
}

/** Position quantity and open-order count: the stream-fed ledger when trusted, else REST. */
async function book(ctx: CommandContext, symbol: string, opts: RequestOptions): Promise<Book> {
  if (ctx.ledgerTrusted?.() === true && (await (ctx.ledgerCaughtUp?.() ?? true))) {
    const [positions, open] = await Promise.all([
      ctx.store.positions.list(ctx.profileId),
      ctx.store.orders.list(ctx.profileId, { status: 'open' }),
    ]);
    const qty = positions.find((p) => p.symbol === symbol)?.qty ?? '0';
    return { positionQty: qty, openOrders: open.length };
  }
  const [positions, open] = await Promise.all([
    ctx.broker.listPositions(opts),
    ctx.broker.listOrders({ status: 'open', limit: 500 }, opts),
  ]);
  return { positionQty: positions.find((p) => p.symbol === symbol)?.qty ?? '0', openOrders: open.length };
}

/** Quote, asset and clock: the market cache while fresh, else the broker. */
function market(ctx: CommandContext, symbol: string, nowMs: number, opts: RequestOptions) {
  const cache = ctx.safety?.market;
  const maxAssetAge = ctx.safety?.options.assetRefreshMs ?? 0;
  const quote = cache ? freshQuote(cache, symbol, nowMs) : null;
  const asset = cache ? freshAsset(cache, symbol, nowMs, maxAssetAge) : null;
  const clock = cache ? freshClock(cache, nowMs) : null;
  return {
    quote: quote
      ? Promise.resolve<Quote | null>(quote)
      : ctx.broker.getQuotes([symbol], opts).then((q) => q.get(symbol) ?? null),
    asset: asset ? Promise.resolve<Asset | null>(asset) : ctx.broker.getAsset(symbol, opts),
    clock: clock ? Promise.resolve<MarketClock>(clock) : ctx.broker.getClock(opts),
  };
}

export async function gatherFreshContext(
  ctx: CommandContext,
  intent: OrderIntent,
  lane: RequestLane,
): Promise<RiskContext> {
  const opts = { lane };
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - 60_000).toISOString();
  const m = market(ctx, intent.symbol, now.getTime(), opts);
  const [account, held, quote, asset, clock, recent] = await Promise.all([
    ctx.broker.getAccount(opts),
    book(ctx, intent.symbol, opts),
    m.quote,
    m.asset,
    m.clock,
    ctx.store.orders.list(ctx.profileId, { status: 'all', since }),
  ]);
  return {
    intent,
    tradingState: ctx.tradingState(),
    asset:
      asset === null
        ? null
        : {
            tradable: asset.tradable,
            active: asset.status === 'active',
            fractionable: asset.fractionable,
            shortable: asset.shortable,
          },
    quote: { last: quote?.lastPrice ?? null, bid: quote?.bid ?? null, ask: quote?.ask ?? null },
    positionQty: held.positionQty,
    equity: account.equity,
    lastEquity: account.lastEquity,
    buyingPower: account.buyingPower,
    openOrders: held.openOrders,
    ordersLastMinute: recent.length,
    session: marketSession(clock, ctx.clock.now()),
  };
}

function denied(code: DenialCode, check: string, message: string): RiskCheckResult {
  return { check, passed: false, code, message };
}

/**
 * THE pre-submit gate, fail-closed: the effective trading state, then the risk checks on fresh
 * context. Returns the denied checks (empty = allowed), every code from core's catalogue. No risk
 * context wired, or facts that cannot be read, deny (CONTEXT_UNAVAILABLE): the engine never
 * sends an order it could not check. A lost lease is not a denial: it propagates.
 */
export async function preSubmitDenials(
  ctx: CommandContext,
  intent: OrderIntent,
  lane: RequestLane,
): Promise<RiskCheckResult[]> {
  if (!ctx.safety) {
    return [denied('CONTEXT_UNAVAILABLE', 'risk_context', 'this engine has no risk limits wired')];
  }
  if (ctx.tradingState() === 'HALTED') {
    return [denied('TRADING_HALTED', 'trading_state', DENIAL_CODES.TRADING_HALTED)];
  }
  let riskCtx: RiskContext;
  try {
    riskCtx = await gatherFreshContext(ctx, intent, lane);
  } catch (error) {
    if (error instanceof LeaseLostError || error instanceof StaleFenceError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return [denied('CONTEXT_UNAVAILABLE', 'risk_context', `could not read the risk context: ${message}`)];
  }
  return assessOrder(riskCtx, ctx.safety.options.risk).verdict.checks.filter((c) => !c.passed);
}
