/**
 * The authoritative risk check before a submit: the RiskContext is built from fresh broker state
 * (account, positions, open orders, quote, asset, clock: REST, in parallel, on the order's lane),
 * the orders of the last minute from the ledger, and the engine's effective trading state; then
 * the same pure `assessOrder` the API's preview ran. Returns the denied checks (empty = allowed).
 */

import type { RiskCheckResult } from '../../core/draft.js';
import type { OrderIntent } from '../../core/order-request.js';
import { assessOrder } from '../../core/risk/risk-engine.js';
import type { RiskContext } from '../../core/risk/risk-types.js';
import type { RequestLane } from '../../ports/broker.js';
import { marketSession } from '../market-data.js';
import type { CommandContext } from './command-context.js';

export async function gatherFreshContext(
  ctx: CommandContext,
  intent: OrderIntent,
  lane: RequestLane,
): Promise<RiskContext> {
  const opts = { lane };
  const since = new Date(ctx.clock.now().getTime() - 60_000).toISOString();
  const [account, positions, openOrders, quotes, asset, clock, recent] = await Promise.all([
    ctx.broker.getAccount(opts),
    ctx.broker.listPositions(opts),
    ctx.broker.listOrders({ status: 'open', limit: 500 }, opts),
    ctx.broker.getQuotes([intent.symbol], opts),
    ctx.broker.getAsset(intent.symbol, opts),
    ctx.broker.getClock(opts),
    ctx.store.orders.list(ctx.profileId, { status: 'all', since }),
  ]);
  const quote = quotes.get(intent.symbol);
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
    positionQty: positions.find((p) => p.symbol === intent.symbol)?.qty ?? '0',
    equity: account.equity,
    lastEquity: account.lastEquity,
    buyingPower: account.buyingPower,
    openOrders: openOrders.length,
    ordersLastMinute: recent.length,
    session: marketSession(clock, ctx.clock.now()),
  };
}

export async function riskDenials(
  ctx: CommandContext,
  intent: OrderIntent,
  lane: RequestLane,
): Promise<RiskCheckResult[]> {
  if (!ctx.safety) return [];
  const riskCtx = await gatherFreshContext(ctx, intent, lane);
  return assessOrder(riskCtx, ctx.safety.options.risk).verdict.checks.filter((c) => !c.passed);
}
