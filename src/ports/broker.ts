/**
 * The Broker port: the subset of a broker the engine calls, in domain types only. The Alpaca
 * adapter (src/adapters/alpaca) implements it over the official SDK; nothing of the SDK crosses.
 * Mutations never retry blindly: an ambiguous outcome is reported as such, and the caller settles
 * it by looking the order up by its client order id.
 */
import type { DecimalString } from '../core/decimal.js';
import type { Fill } from '../core/fill.js';
import type { Order } from '../core/order.js';
import type { OrderRequest } from '../core/order-request.js';
import type { AccountSnapshot, Position } from '../core/position.js';
import type { Timestamp } from '../core/time.js';

/** REST priority lanes, highest first: a kill switch is never queued behind a read. */
export const REQUEST_LANES = ['kill_switch', 'cancel', 'exit', 'entry', 'read'] as const;
export type RequestLane = (typeof REQUEST_LANES)[number];

export interface RequestOptions {
  lane?: RequestLane;
}

export const BROKER_ERROR_CODES = [
  'insufficient_buying_power',
  'insufficient_qty',
  'rate_limited',
  'rejected',
  'not_found',
  'unauthorized',
  'invalid_request',
  'ambiguous',
  'unavailable',
  'bad_data',
] as const;
export type BrokerErrorCode = (typeof BROKER_ERROR_CODES)[number];

export class BrokerError extends Error {
  constructor(
    readonly code: BrokerErrorCode,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; brokerCode?: string | number } = {},
  ) {
    super(message);
    this.name = 'BrokerError';
  }
}

export interface OrderQuery {
  status?: 'open' | 'closed' | 'all';
  after?: Timestamp;
  until?: Timestamp;
  direction?: 'asc' | 'desc';
  limit?: number;
  symbols?: string[];
}

export interface FillActivityQuery {
  after?: Timestamp;
  pageToken?: string;
  pageSize?: number;
}

/**
 * One FILL activity. Alpaca's activities do not carry the stream's execution id, so `executionId`
 * holds the activity id; (orderId, cumQty) identifies the same execution in a trade update
 * (its order's filledQty after the event).
 */
export type FillActivity = Fill & { activityId: string; cumQty: DecimalString };

export interface FillActivityPage {
  fills: FillActivity[];
  nextPageToken: string | null;
}

export interface CloseResult {
  symbol: string;
  ok: boolean;
  order: Order | null;
  error: string | null;
}

export interface CancelResult {
  orderId: string;
  ok: boolean;
  error: string | null;
}

export interface Asset {
  symbol: string;
  name: string;
  status: 'active' | 'inactive';
  tradable: boolean;
  fractionable: boolean;
  shortable: boolean;
  easyToBorrow: boolean;
}

export interface MarketClock {
  at: Timestamp;
  isOpen: boolean;
  nextOpen: Timestamp;
  nextClose: Timestamp;
}

export interface Quote {
  symbol: string;
  lastPrice: DecimalString | null;
  bid: DecimalString | null;
  ask: DecimalString | null;
  at: Timestamp | null;
}

export interface HistoryPoint {
  at: Timestamp;
  equity: DecimalString;
  profitLoss: DecimalString | null;
}

export interface Broker {
  getAccount(opts?: RequestOptions): Promise<AccountSnapshot>;
  setTradeSuspended(suspended: boolean, opts?: RequestOptions): Promise<void>;
  listPositions(opts?: RequestOptions): Promise<Position[]>;
  listOrders(query: OrderQuery, opts?: RequestOptions): Promise<Order[]>;
  getOrder(id: string, opts?: RequestOptions): Promise<Order | null>;
  getOrderByClientOrderId(clientOrderId: string, opts?: RequestOptions): Promise<Order | null>;
  submitOrder(request: OrderRequest, opts?: RequestOptions): Promise<Order>;
  cancelOrder(id: string, opts?: RequestOptions): Promise<void>;
  cancelAllOrders(opts?: RequestOptions): Promise<CancelResult[]>;
  closePosition(
    symbol: string,
    amount?: { qty: DecimalString } | { percentage: DecimalString },
    opts?: RequestOptions,
  ): Promise<Order>;
  closeAllPositions(cancelOrders: boolean, opts?: RequestOptions): Promise<CloseResult[]>;
  listFillActivities(query: FillActivityQuery, opts?: RequestOptions): Promise<FillActivityPage>;
  getClock(opts?: RequestOptions): Promise<MarketClock>;
  getAsset(symbol: string, opts?: RequestOptions): Promise<Asset | null>;
  getQuotes(symbols: string[], opts?: RequestOptions): Promise<Map<string, Quote>>;
  getPortfolioHistory(
    query: { period: string; timeframe: string },
    opts?: RequestOptions,
  ): Promise<HistoryPoint[]>;
}

/** One event of the broker's trade updates stream, mapped to domain types. */
export interface TradeUpdate {
  event: string;
  order: Order;
  at: Timestamp;
  executionId: string | null;
  price: DecimalString | null;
  qty: DecimalString | null;
  positionQty: DecimalString | null;
}

export type StreamState = 'connecting' | 'authenticating' | 'listening' | 'disconnected' | 'stopped';

export interface TradeStreamHandlers {
  onUpdate(update: TradeUpdate): void | Promise<void>;
  onState(state: StreamState, detail?: string): void;
}

/** The broker's trade updates stream: one connection, reconnected by the caller's policy. */
export interface TradeStream {
  connect(handlers: TradeStreamHandlers): Promise<void>;
  close(): Promise<void>;
}
