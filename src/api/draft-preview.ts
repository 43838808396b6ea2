/**
 * What a draft shows before it is confirmed: the preview (estimated price and notional, share of
 * equity, buying power after, resulting position) and the verdict. The verdict is ONE function,
 * `evaluateDraft`, so the full risk engine (next issue) plugs in here; for now it holds the
 * trading-state check only: HALTED denies everything, REDUCING denies what does not reduce.
 * The live-mode confirmation phrase is derived here too, from the intent.
 */
import { type Decimal, dec, str } from '../core/decimal.js';
import type { DraftPreview, RiskCheckResult, RiskVerdict } from '../core/draft.js';
import type { OrderIntent } from '../core/order-request.js';
import type { AccountSnapshot, Position } from '../core/position.js';
import { admitsOrder, reducesExposure, type TradingState } from '../core/trading-state.js';
import type { Store } from '../ports/store.js';

export interface DraftContext {
  position: Position | null;
  account: AccountSnapshot | null;
  /** The latest fill price of the symbol, when no position carries a current price. */
  lastFillPrice: string | null;
  tradingState: TradingState;
}

/** Reads what the preview and verdict need from the ledger. */
export async function loadDraftContext(
  store: Store,
  profileId: string,
  symbol: string,
): Promise<DraftContext> {
  const [positions, account, fills, state] = await Promise.all([
    store.positions.list(profileId),
    store.accounts.latest(profileId),
    store.fills.list(profileId, { symbol, limit: 1 }),
    store.tradingState.get(profileId),
  ]);
  return {
    position: positions.find((p) => p.symbol === symbol) ?? null,
    account,
    lastFillPrice: fills[0]?.price ?? null,
    tradingState: state?.state ?? 'ACTIVE',
  };
}

function estimatedPrice(intent: OrderIntent, ctx: DraftContext): Decimal | null {
  if (intent.type === 'limit' || intent.type === 'stop_limit') return dec(intent.limitPrice);
  if (intent.type === 'stop') return dec(intent.stopPrice);
  const known = ctx.position?.currentPrice ?? ctx.lastFillPrice;
  return known === null || known === undefined ? null : dec(known);
}

/** The order's quantity: given, or estimated from the notional and the estimated price. */
function estimatedQty(intent: OrderIntent, price: Decimal | null): Decimal | null {
  if (intent.qty !== undefined) return dec(intent.qty);
  if (price === null || price.isZero()) return null;
  return dec(intent.notional).div(price).toDecimalPlaces(9);
}

export function buildPreview(intent: OrderIntent, ctx: DraftContext): DraftPreview {
  const price = estimatedPrice(intent, ctx);
  const qty = estimatedQty(intent, price);
  const notional =
    intent.notional !== undefined
      ? dec(intent.notional)
      : price === null || qty === null
        ? null
        : qty.times(price);
  const equity = ctx.account === null ? null : dec(ctx.account.equity);
  const buyingPower = ctx.account === null ? null : dec(ctx.account.buyingPower);
  const current = dec(ctx.position?.qty ?? '0');
  const signed = qty === null ? null : intent.side === 'buy' ? qty : qty.neg();
  return {
    estimatedPrice: price === null ? null : str(price),
    estimatedNotional: notional === null ? null : str(notional.toDecimalPlaces(2)),
    shareOfEquity:
      notional === null || equity === null || equity.lte(0)
        ? null
        : str(notional.div(equity).toDecimalPlaces(6)),
    buyingPowerAfter:
      notional === null || buyingPower === null
        ? null
        : str((intent.side === 'buy' ? buyingPower.minus(notional) : buyingPower).toDecimalPlaces(2)),
    resultingPositionQty: str(signed === null ? current : current.plus(signed)),
  };
}

/** Whether the order only shrinks the position; a notional order with no price known does not count. */
function reduces(intent: OrderIntent, ctx: DraftContext, preview: DraftPreview): boolean {
  const positionQty = ctx.position?.qty ?? '0';
  if (intent.qty !== undefined) return reducesExposure(positionQty, intent.side, intent.qty);
  if (preview.estimatedPrice === null) return false;
  const before = dec(positionQty);
  const after = dec(preview.resultingPositionQty);
  return (
    !before.isZero() && after.abs().lt(before.abs()) && (after.isZero() || after.isPos() === before.isPos())
  );
}

function tradingStateCheck(intent: OrderIntent, ctx: DraftContext, preview: DraftPreview): RiskCheckResult {
  const passed = admitsOrder(ctx.tradingState, reduces(intent, ctx, preview));
  if (passed)
    return { check: 'trading_state', passed, code: null, message: `trading state is ${ctx.tradingState}` };
  return ctx.tradingState === 'HALTED'
    ? { check: 'trading_state', passed, code: 'trading_halted', message: 'trading is HALTED: no new orders' }
    : {
        check: 'trading_state',
        passed,
        code: 'trading_reducing',
        message: 'trading is REDUCING: only orders that shrink an existing position are admitted',
      };
}

/** The verdict on a draft: every check's result; allowed only when all pass. */
export function evaluateDraft(intent: OrderIntent, ctx: DraftContext, preview: DraftPreview): RiskVerdict {
  const checks = [tradingStateCheck(intent, ctx, preview)];
  return { allowed: checks.every((c) => c.passed), checks };
}

/** The phrase a person types to confirm a live order: "BUY 10 AAPL" or "SELL $500 AAPL". */
export function confirmPhraseFor(intent: OrderIntent): string {
  const amount = intent.qty !== undefined ? intent.qty : `$${intent.notional}`;
  return `${intent.side.toUpperCase()} ${amount} ${intent.symbol}`;
}

/** Case and spacing do not matter; the words and numbers do. */
export function phraseMatches(typed: string | undefined, expected: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toUpperCase();
  return typed !== undefined && norm(typed) === norm(expected);
}
