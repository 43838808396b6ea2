/**
 * PATCH /v2/orders/{id}: replacing an order creates a new order (new id, `replaces` = old id) and
 * marks the old one `replaced` with `replaced_by`; fields not sent keep their old values.
 * Must preserve: 422 while the old order is not yet routed or is final, 403 when nothing changes,
 * whole-share qty only, no replace of notional/fractional orders, trail keeps its unit.
 */
import type { Decimal } from '../core/decimal.js';
import type { SimBroker } from './broker.js';
import { simErrors } from './errors.js';
import { isFinal, type SimOrder } from './order-model.js';
import {
  type OrderDraft,
  parseReplaceBody,
  type ReplaceDraft,
  validateAgainstAsset,
} from './order-request.js';
import { leaves } from './risk-checks.js';

const UNROUTED = new Set(['accepted', 'pending_new', 'pending_cancel', 'pending_replace']);

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

export function replaceOrder(broker: SimBroker, old: SimOrder, body: unknown): SimOrder {
  broker.sync();
  const patch = parseReplaceBody(body);
  if (isFinal(old)) throw simErrors.unprocessable(`order is already in "${old.status}" state`);
  if (UNROUTED.has(old.status)) {
    throw simErrors.unprocessable("unable to replace order, order isn't sent to exchange yet");
  }
  if (old.notional !== null || (old.qty !== null && !old.qty.isInteger())) {
    throw simErrors.unprocessable('fractional and notional orders cannot be replaced');
  }
  checkApplicable(old, patch);
  const draft = draftFrom(old, patch);
  if (unchanged(old, draft)) throw simErrors.forbidden('order parameters are not changed');
  const asset = validateAgainstAsset(draft, broker.assets.get(old.symbol));
  const replacement = broker.place(draft, asset, { washCheck: false, replaces: old });
  broker.markReplaced(old, replacement);
  broker.start(replacement);
  return replacement;
}
