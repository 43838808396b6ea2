/**
 * The body of POST /commands/draft as an OrderIntent. The route's JSON schema checks each
 * field's type and format; this adds the rules a schema states badly: exactly one of qty or
 * notional, exactly the prices the order type needs, extended hours only for DAY limit orders,
 * amounts above zero. Each problem names its field.
 */

import { z } from 'zod';
import { dec } from '../core/decimal.js';
import { ORDER_SIDES, ORDER_TYPES, type OrderType, TIME_IN_FORCE } from '../core/order.js';
import type { OrderIntent, OrderPricing } from '../core/order-request.js';
import { type FieldProblem, invalid } from './errors.js';
import { routeSchema } from './route-schema.js';
import { decimalField, profileIdField, symbolField } from './schemas.js';

const draftBody = z.strictObject({
  symbol: symbolField.describe('ticker, e.g. AAPL (upper-cased)'),
  side: z.enum(ORDER_SIDES),
  type: z.enum(ORDER_TYPES),
  time_in_force: z.enum(TIME_IN_FORCE),
  qty: decimalField.optional(),
  notional: decimalField.optional(),
  limit_price: decimalField.optional(),
  stop_price: decimalField.optional(),
  trail_price: decimalField.optional(),
  trail_percent: decimalField.optional(),
  extended_hours: z.boolean().default(false),
  profile_id: profileIdField.optional(),
});

/** The body as the handler sees it (ajv has checked each field; the cross-field rules are below). */
export type DraftBody = z.input<typeof draftBody>;

export const draftBodySchema = routeSchema(draftBody);

const PRICES_BY_TYPE: Record<OrderType, ReadonlyArray<keyof DraftBody>> = {
  market: [],
  limit: ['limit_price'],
  stop: ['stop_price'],
  stop_limit: ['stop_price', 'limit_price'],
  trailing_stop: [], // exactly one of trail_price / trail_percent, checked below
};

const PRICE_FIELDS = ['limit_price', 'stop_price', 'trail_price', 'trail_percent'] as const;

function problem(field: string, message: string): FieldProblem {
  return { field, in: 'body', message };
}

function pricingProblems(b: DraftBody): FieldProblem[] {
  const out: FieldProblem[] = [];
  const needed = new Set<string>(PRICES_BY_TYPE[b.type]);
  if (b.type === 'trailing_stop') {
    if ((b.trail_price === undefined) === (b.trail_percent === undefined)) {
      out.push(
        problem('trail_price', 'give exactly one of trail_price or trail_percent for a trailing_stop order'),
      );
    }
    needed.add(b.trail_price === undefined ? 'trail_percent' : 'trail_price');
  }
  for (const field of PRICE_FIELDS) {
    const given = b[field] !== undefined;
    if (needed.has(field) && !given && b.type !== 'trailing_stop') {
      out.push(problem(field, `is required for a ${b.type} order`));
    }
    if (!needed.has(field) && given) out.push(problem(field, `is not allowed for a ${b.type} order`));
  }
  return out;
}

function amountProblems(b: DraftBody): FieldProblem[] {
  const out: FieldProblem[] = [];
  if ((b.qty === undefined) === (b.notional === undefined)) {
    out.push(problem('qty', 'give exactly one of qty or notional'));
  }
  for (const field of ['qty', 'notional', ...PRICE_FIELDS] as const) {
    const value = b[field];
    if (value !== undefined && dec(value, field).lte(0))
      out.push(problem(field, 'must be greater than zero'));
  }
  if (b.extended_hours === true && (b.type !== 'limit' || b.time_in_force !== 'day')) {
    out.push(problem('extended_hours', 'is allowed only for limit orders with time_in_force day'));
  }
  return out;
}

function pricing(b: DraftBody): OrderPricing {
  switch (b.type) {
    case 'market':
      return { type: 'market' };
    case 'limit':
      return { type: 'limit', limitPrice: b.limit_price as string };
    case 'stop':
      return { type: 'stop', stopPrice: b.stop_price as string };
    case 'stop_limit':
      return { type: 'stop_limit', stopPrice: b.stop_price as string, limitPrice: b.limit_price as string };
    case 'trailing_stop':
      return b.trail_price !== undefined
        ? { type: 'trailing_stop', trailPrice: b.trail_price }
        : { type: 'trailing_stop', trailPercent: b.trail_percent as string };
  }
}

/** The intent the body describes; throws a validation_failed ApiError naming every bad field. */
export function parseDraftBody(b: DraftBody): OrderIntent {
  const problems = [...amountProblems(b), ...pricingProblems(b)];
  if (problems.length > 0) throw invalid(problems);
  const amount =
    b.qty !== undefined ? { qty: dec(b.qty).toFixed() } : { notional: dec(b.notional).toFixed() };
  return {
    symbol: b.symbol.toUpperCase(),
    side: b.side,
    timeInForce: b.time_in_force,
    extendedHours: b.extended_hours ?? false,
    ...amount,
    ...pricing(b),
  } as OrderIntent;
}
