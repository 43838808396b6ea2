/**
 * Parsing and static validation of order requests (POST /v2/orders and PATCH /v2/orders/{id}),
 * in the order Alpaca applies them (§3.3 steps 2-5): body shape and enums, asset, type/TIF/class
 * compatibility, price increments. Account-dependent checks live in risk-checks.ts.
 * Must preserve: decimals are accepted as strings or numbers; every rejection is a SimError with
 * Alpaca's status and code (422 for parameters, 400 for qty+notional together).
 */
import { type Decimal, DecimalParseError, dec, str } from '../core/decimal.js';
import type { SimAsset } from './assets.js';
import { simErrors } from './errors.js';
import {
  ORDER_CLASSES,
  ORDER_TYPES,
  type OrderClass,
  type OrderType,
  SIDES,
  type Side,
  TIFS,
  type TimeInForce,
} from './order-model.js';

export interface OrderDraft {
  symbol: string;
  qty: Decimal | null;
  notional: Decimal | null;
  side: Side;
  type: OrderType;
  tif: TimeInForce;
  limitPrice: Decimal | null;
  stopPrice: Decimal | null;
  trailPrice: Decimal | null;
  trailPercent: Decimal | null;
  extendedHours: boolean;
  clientOrderId: string | null;
  orderClass: OrderClass;
  takeProfit: { limitPrice: Decimal } | null;
  stopLoss: { stopPrice: Decimal; limitPrice: Decimal | null } | null;
}

export interface ReplaceDraft {
  qty: Decimal | null;
  tif: TimeInForce | null;
  limitPrice: Decimal | null;
  stopPrice: Decimal | null;
  trail: Decimal | null;
  clientOrderId: string | null;
}

type Body = Record<string, unknown>;

export function asBody(body: unknown): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw simErrors.malformedBody();
  return body as Body;
}

/** An optional positive decimal field (string or number). */
export function positiveDecimal(body: Body, name: string): Decimal | null {
  const raw = body[name];
  if (raw === undefined || raw === null || raw === '') return null;
  let value: Decimal;
  try {
    value = dec(raw, name);
  } catch (error) {
    if (error instanceof DecimalParseError) throw simErrors.invalid(`invalid ${name}`);
    throw error;
  }
  if (!value.isFinite() || value.lte(0)) throw simErrors.invalid(`${name} must be > 0`);
  if (value.decimalPlaces() > 9) throw simErrors.invalid(`${name} must have at most 9 decimal places`);
  return value;
}

function enumField<T extends string>(body: Body, name: string, values: readonly T[], fallback?: T): T {
  const raw = body[name];
  if (raw === undefined || raw === null) {
    if (fallback !== undefined) return fallback;
    throw simErrors.invalid(`${name} is required`);
  }
  if (typeof raw !== 'string' || !values.includes(raw as T)) throw simErrors.invalid(`invalid ${name}`);
  return raw as T;
}

function boolField(body: Body, name: string): boolean {
  const raw = body[name];
  if (raw === undefined || raw === null) return false;
  if (typeof raw === 'boolean') return raw;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw simErrors.invalid(`invalid ${name}`);
}

function clientOrderIdField(body: Body): string | null {
  const raw = body.client_order_id;
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string') throw simErrors.invalid('invalid client_order_id');
  if (raw.length > 128) throw simErrors.invalid('client_order_id must be no more than 128 characters');
  return raw;
}

function nested(body: Body, name: string): Body | null {
  const raw = body[name];
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw simErrors.invalid(`invalid ${name}`);
  return raw as Body;
}

/** Step 2: body shape, enums, required fields. */
export function parseOrderBody(raw: unknown): OrderDraft {
  const body = asBody(raw);
  const side = enumField(body, 'side', SIDES);
  const type = enumField(body, 'type', ORDER_TYPES);
  const tif = enumField(body, 'time_in_force', TIFS);
  const orderClass = enumField(body, 'order_class', ORDER_CLASSES, '');
  if (typeof body.symbol !== 'string' || body.symbol === '') throw simErrors.invalid('symbol is required');
  const qty = positiveDecimal(body, 'qty');
  const notional = positiveDecimal(body, 'notional');
  if (qty && notional) throw simErrors.badRequest('only one of qty or notional may be specified');
  if (!qty && !notional) throw simErrors.invalid('qty or notional is required');
  const tp = nested(body, 'take_profit');
  const sl = nested(body, 'stop_loss');
  const draft: OrderDraft = {
    symbol: body.symbol,
    qty,
    notional,
    side,
    type,
    tif,
    limitPrice: positiveDecimal(body, 'limit_price'),
    stopPrice: positiveDecimal(body, 'stop_price'),
    trailPrice: positiveDecimal(body, 'trail_price'),
    trailPercent: positiveDecimal(body, 'trail_percent'),
    extendedHours: boolField(body, 'extended_hours'),
    clientOrderId: clientOrderIdField(body),
    orderClass,
    takeProfit: null,
    stopLoss: null,
  };
  if (tp) draft.takeProfit = { limitPrice: requiredPrice(tp, 'limit_price', 'take_profit.limit_price') };
  if (sl) {
    draft.stopLoss = {
      stopPrice: requiredPrice(sl, 'stop_price', 'stop_loss.stop_price'),
      limitPrice: positiveDecimal(sl, 'limit_price'),
    };
  }
  // An OCO's parent is its take-profit: Alpaca takes the limit from take_profit when absent.
  if (orderClass === 'oco' && type === 'limit' && !draft.limitPrice && draft.takeProfit) {
    draft.limitPrice = draft.takeProfit.limitPrice;
  }
  requireTypeFields(draft);
  return draft;
}

function requiredPrice(body: Body, name: string, label: string): Decimal {
  const value = positiveDecimal(body, name);
  if (!value) throw simErrors.invalid(`${label} is required`);
  return value;
}

function requireTypeFields(d: OrderDraft): void {
  if ((d.type === 'limit' || d.type === 'stop_limit') && !d.limitPrice) {
    throw simErrors.invalid('limit_price is required');
  }
  if ((d.type === 'stop' || d.type === 'stop_limit') && !d.stopPrice)
    throw simErrors.invalid('stop_price is required');
  if (d.type === 'trailing_stop') {
    if (!d.trailPrice === !d.trailPercent) {
      throw simErrors.invalid('trailing stop orders require exactly one of trail_price or trail_percent');
    }
    if (d.trailPercent?.gte(100)) throw simErrors.invalid('trail_percent must be less than 100');
  }
  if (d.type === 'market' && (d.limitPrice || d.stopPrice)) {
    throw simErrors.invalid('market orders must not have limit_price or stop_price');
  }
}

/** Steps 3-5: asset state, TIF/type/class compatibility and price increments. */
export function validateAgainstAsset(d: OrderDraft, asset: SimAsset | undefined): SimAsset {
  if (!asset) throw simErrors.invalid(`asset ${JSON.stringify(d.symbol)} not found`);
  if (asset.status !== 'active') throw simErrors.invalid(`asset ${asset.symbol} is not active`);
  if (!asset.tradable) throw simErrors.unprocessable(`asset ${JSON.stringify(asset.symbol)} is not tradable`);
  const fractional = d.notional !== null || (d.qty !== null && !d.qty.isInteger());
  if (fractional) {
    if (!asset.fractionable) throw simErrors.unprocessable('requested asset is not fractionable');
    if (d.tif !== 'day') throw simErrors.unprocessable('fractional orders must be DAY orders');
    if (d.orderClass !== '' && d.orderClass !== 'simple') {
      throw simErrors.unprocessable('fractional orders are not supported for advanced order classes');
    }
  }
  if (d.type === 'trailing_stop' && d.tif !== 'day' && d.tif !== 'gtc') {
    throw simErrors.unprocessable('trailing stop orders must be DAY or GTC orders');
  }
  if ((d.type === 'stop' || d.type === 'stop_limit') && d.tif !== 'day' && d.tif !== 'gtc') {
    throw simErrors.unprocessable(`invalid time_in_force ${d.tif} for ${d.type} orders`);
  }
  if (d.extendedHours && (d.type !== 'limit' || d.tif !== 'day')) {
    throw simErrors.unprocessable('extended hours order must be DAY limit orders');
  }
  for (const [name, price] of [
    ['limit_price', d.limitPrice],
    ['stop_price', d.stopPrice],
    ['trail_price', d.trailPrice],
  ] as const) {
    if (price) checkIncrement(name, price);
  }
  return asset;
}

/** The sub-penny rule: at most 2 decimals at or above $1, 4 below. */
export function checkIncrement(name: string, price: Decimal): void {
  const allowed = price.gte(1) ? 2 : 4;
  if (price.decimalPlaces() > allowed) {
    throw simErrors.unprocessable(
      `invalid ${name} ${str(price)}. sub-penny increment does not fulfill minimum pricing criteria`,
    );
  }
}

export function parseReplaceBody(raw: unknown): ReplaceDraft {
  const body = asBody(raw);
  const draft: ReplaceDraft = {
    qty: positiveDecimal(body, 'qty'),
    tif:
      body.time_in_force === undefined || body.time_in_force === null
        ? null
        : enumField(body, 'time_in_force', TIFS),
    limitPrice: positiveDecimal(body, 'limit_price'),
    stopPrice: positiveDecimal(body, 'stop_price'),
    trail: positiveDecimal(body, 'trail'),
    clientOrderId: clientOrderIdField(body),
  };
  if (draft.qty && !draft.qty.isInteger())
    throw simErrors.unprocessable('qty must be a whole number for replace');
  if (draft.limitPrice) checkIncrement('limit_price', draft.limitPrice);
  if (draft.stopPrice) checkIncrement('stop_price', draft.stopPrice);
  return draft;
}
