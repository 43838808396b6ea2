/**
 * Position reads and liquidation: GET /v2/positions[/{symbol}], DELETE /v2/positions/{symbol}
 * (qty or percentage) and DELETE /v2/positions (207 per symbol, optional cancel_orders).
 * Must preserve: a close is a market DAY order on the opposite side that goes through the same
 * quantity checks as any order (403 when shares are held for orders); 404 for no position.
 */
import { Decimal } from '../core/decimal.js';
import { positionToWire } from './account-view.js';
import type { SimBroker } from './broker.js';
import { SimError, simErrors } from './errors.js';
import { orderToWire, type SimOrder } from './order-model.js';
import type { OrderDraft } from './order-request.js';
import type { SimPosition } from './portfolio.js';
import { heldFor } from './risk-checks.js';

function findPosition(broker: SimBroker, symbolOrId: string): SimPosition {
  const asset = broker.assets.get(symbolOrId);
  const pos = broker.state.portfolio.positions.get(asset?.symbol ?? symbolOrId);
  if (!pos) throw simErrors.positionNotFound();
  return pos;
}

export function positionWire(broker: SimBroker, pos: SimPosition): Record<string, unknown> {
  const s = broker.state;
  const current = s.market.quote(pos.symbol)?.last ?? pos.avgEntry;
  const { held } = heldFor(s.book.openFor(pos.symbol), pos.qty);
  return positionToWire(pos, s.assets.get(pos.symbol), current, held);
}

export function listPositions(broker: SimBroker): Record<string, unknown>[] {
  return [...broker.state.portfolio.positions.values()]
    .sort((a, b) => a.symbol.localeCompare(b.symbol))
    .map((p) => positionWire(broker, p));
}

export function getPosition(broker: SimBroker, symbolOrId: string): Record<string, unknown> {
  return positionWire(broker, findPosition(broker, symbolOrId));
}

function optionalNumber(raw: unknown, name: string): Decimal | null {
  if (raw === undefined || raw === '') return null;
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (typeof text !== 'string' || !/^\d+(\.\d{1,9})?$/.test(text.trim()))
    throw simErrors.invalid(`invalid ${name}`);
  const value = new Decimal(text.trim());
  if (value.lte(0)) throw simErrors.invalid(`${name} must be > 0`);
  return value;
}

/** The quantity to sell/buy back for a close request. */
function closeQty(pos: SimPosition, qtyRaw: unknown, pctRaw: unknown): Decimal {
  const qty = optionalNumber(qtyRaw, 'qty');
  const pct = optionalNumber(pctRaw, 'percentage');
  if (qty && pct) throw simErrors.invalid('only one of qty or percentage may be specified');
  const size = pos.qty.abs();
  if (qty) return qty;
  if (!pct) return size;
  if (pct.gt(100)) throw simErrors.invalid('percentage must be between 0 and 100');
  const raw = size.times(pct).div(100);
  const whole = size.isInteger()
    ? raw.toDecimalPlaces(0, Decimal.ROUND_DOWN)
    : raw.toDecimalPlaces(9, Decimal.ROUND_DOWN);
  if (whole.lte(0)) throw simErrors.invalid('percentage results in a zero quantity');
  return whole;
}

/** DELETE /v2/positions/{symbol_or_asset_id}: creates the liquidating market order. */
export function closePosition(
  broker: SimBroker,
  symbolOrId: string,
  qty: unknown,
  percentage: unknown,
): SimOrder {
  broker.sync();
  const pos = findPosition(broker, symbolOrId);
  const asset = broker.assets.get(pos.symbol);
  if (!asset) throw simErrors.positionNotFound();
  const draft: OrderDraft = {
    symbol: pos.symbol,
    qty: closeQty(pos, qty, percentage),
    notional: null,
    side: pos.qty.isNeg() ? 'buy' : 'sell',
    type: 'market',
    tif: 'day',
    limitPrice: null,
    stopPrice: null,
    trailPrice: null,
    trailPercent: null,
    extendedHours: false,
    clientOrderId: null,
    orderClass: '',
    takeProfit: null,
    stopLoss: null,
  };
  const order = broker.place(draft, asset, { washCheck: false });
  broker.start(order);
  return order;
}

export interface CloseResult {
  symbol: string;
  status: number;
  body: Record<string, unknown>;
}

/** A close the broker fails to carry out (the `close_error_rate` fault). */
export function liquidationFailed(): SimError {
  return new SimError(500, 50010000, 'failed to liquidate');
}

/**
 * DELETE /v2/positions: one entry per position, failures inside the 207. `fails(symbol)` says
 * whether an injected fault makes that symbol's close fail.
 */
export function closeAll(
  broker: SimBroker,
  cancelOrders: boolean,
  fails: (symbol: string) => boolean = () => false,
): CloseResult[] {
  if (cancelOrders) broker.cancelAll();
  const out: CloseResult[] = [];
  for (const symbol of [...broker.state.portfolio.positions.keys()].sort()) {
    try {
      if (fails(symbol)) throw liquidationFailed();
      const order = closePosition(broker, symbol, undefined, undefined);
      out.push({ symbol, status: 200, body: orderToWire(order) });
    } catch (error) {
      if (!(error instanceof SimError)) throw error;
      out.push({ symbol, status: error.status, body: error.body() });
    }
  }
  return out;
}
