/**
 * What a person asks the broker to do, before the broker has seen it. The types make an illegal
 * order unrepresentable where they can: exactly one of quantity or notional, and each order type
 * carries exactly the prices it needs. The wire mapping lives in the broker adapter.
 */
import type { DecimalString } from './decimal.js';
import type { OrderSide, TimeInForce } from './order.js';

export type OrderAmount = { qty: DecimalString; notional?: never } | { notional: DecimalString; qty?: never };

export type OrderPricing =
  | { type: 'market' }
  | { type: 'limit'; limitPrice: DecimalString }
  | { type: 'stop'; stopPrice: DecimalString }
  | { type: 'stop_limit'; stopPrice: DecimalString; limitPrice: DecimalString }
  | { type: 'trailing_stop'; trailPrice: DecimalString; trailPercent?: never }
  | { type: 'trailing_stop'; trailPercent: DecimalString; trailPrice?: never };

export type OrderIntent = {
  symbol: string;
  side: OrderSide;
  timeInForce: TimeInForce;
  extendedHours: boolean;
} & OrderAmount &
  OrderPricing;

/** An intent bound to its deterministic client order id, ready for the broker. */
export type OrderRequest = OrderIntent & { clientOrderId: string };
