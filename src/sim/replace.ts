/**
 * PATCH /v2/orders/{id}: replacing an order creates a new order (new id, `replaces` = old id);
 * the old one goes `pending_replace` and then `replaced` with `replaced_by`, at once or after the
 * configured delay, and only then does the replacement start (pending_new/new or accepted). If the
 * old order fills first, the replacement is rejected (see cancels.ts). Fields not sent keep their
 * old values.
 * Must preserve: 422 while the old order is not yet routed, pending or final, 403 when nothing
 * changes, whole-share qty only, no replace of notional/fractional orders or of advanced-order
 * members, trail keeps its unit.
 */
import type { Decimal } from '../core/decimal.js';
import type { BrokerState } from './broker-state.js';
import { later } from './cancels.js';
import { simErrors } from './errors.js';
import { isAdvanced } from './order-classes.js';
import { isFinal, type SimOrder } from './order-model.js';
import { place, start } from './order-placement.js';
import {
  type OrderDraft,
  parseReplaceBody,
  type ReplaceDraft,
  validateAgainstAsset,
} from './order-request.js';
import { leaves } from './risk-checks.js';
import { emit, finish, setStatus } from './transitions.js';

const UNROUTED = new Set(['accepted', 'pending_new', 'pending_cancel', 'pending_replace', 'held']);

function same(a: Decimal | null, b: Decimal | null): boolean {
  return a === null || b === null ? a === b : a.eq(b);
}

function checkApplicable(old: SimOrder, patch: ReplaceDraft): void {
  const hasLimit = old.type === 'limit' || old.type === 'stop_limit';
  const hasStop = old.type === 'stop' || old.type === 'stop_limit';
  if (patch.limitPrice && !hasLimit)
    throw simErrors.invalid(`limit_price is not applicable to ${old.type} orders`);
  if (patch.stopPrice && !hasStop)
    throw simErrors.invalid(`stop_price is not applicable to ${old.type} orders`);
  if (patch.trail && old.type !== 'trailing_stop')
    throw simErrors.invalid('trail is only applicable to trailing_stop orders');
}

function checkReplaceable(old: SimOrder): void {
  if (isFinal(old)) throw simErrors.unprocessable(`order is already in "${old.status}" state`);
  if (UNROUTED.has(old.status)) {
    throw simErrors.unprocessable("unable to replace order, order isn't sent to exchange yet");
  }
  if (isAdvanced(old)) {
    throw simErrors.unprocessable('replacing bracket, oco and oto orders is not supported by the simulator');
  }
  if (old.notional !== null || (old.qty !== null && !old.qty.isInteger())) {
    throw simErrors.unprocessable('fractional and notional orders cannot be replaced');
  }
}

function draftFrom(old: SimOrder, patch: ReplaceDraft): OrderDraft {
  const byPrice = old.trailPrice !== null;
  return {
    symbol: old.symbol,
    qty: patch.qty ?? leaves(old),
    notional: null,
    side: old.side,
    type: old.type,
    tif: patch.tif ?? old.tif,
    limitPrice: patch.limitPrice ?? old.limitPrice,
    stopPrice: old.type === 'trailing_stop' ? null : (patch.stopPrice ?? old.stopPrice),
    trailPrice: byPrice ? (patch.trail ?? old.trailPrice) : null,
    trailPercent: !byPrice && old.type === 'trailing_stop' ? (patch.trail ?? old.trailPercent) : null,
    extendedHours: old.extendedHours,
    clientOrderId: patch.clientOrderId,
    orderClass: old.orderClass,
    takeProfit: null,
    stopLoss: null,
  };
}

function unchanged(old: SimOrder, d: OrderDraft): boolean {
  return (
    same(d.qty, leaves(old)) &&
    d.tif === old.tif &&
    same(d.limitPrice, old.limitPrice) &&
    (old.type === 'trailing_stop' || same(d.stopPrice, old.stopPrice)) &&
    same(d.trailPrice, old.trailPrice) &&
    same(d.trailPercent, old.trailPercent)
  );
}

export function replaceOrder(s: BrokerState, old: SimOrder, body: unknown): SimOrder {
  const patch = parseReplaceBody(body);
  checkReplaceable(old);
  checkApplicable(old, patch);
  const draft = draftFrom(old, patch);
  if (unchanged(old, draft)) throw simErrors.forbidden('order parameters are not changed');
  const asset = validateAgainstAsset(draft, s.assets.get(old.symbol));
  const replacement = place(s, draft, asset, { washCheck: false, replaces: old });
  replacement.replaces = old.id;
  setStatus(s, old, 'pending_replace');
  emit(s, 'pending_replace', old);
  const delay = s.delays().replaceMs;
  if (delay <= 0) {
    completeReplace(s, old, replacement);
  } else {
    s.replacing.set(old.id, replacement);
    later(s, delay, () => completeReplace(s, old, replacement));
  }
  return replacement;
}

/** The old order leaves pending_replace: replaced, and the replacement starts its life. */
function completeReplace(s: BrokerState, old: SimOrder, replacement: SimOrder): void {
  s.replacing.delete(old.id);
  if (isFinal(replacement)) return;
  if (old.status !== 'pending_replace') {
    finish(s, replacement, 'rejected');
    return;
  }
  old.replacedBy = replacement.id;
  finish(s, old, 'replaced');
  start(s, replacement);
}
