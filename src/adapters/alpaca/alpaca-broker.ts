/**
 * The Broker port over the official Alpaca SDK's generated API classes. Each call takes a token
 * from the request budget in its lane, runs one SDK method, reads the raw JSON body (so wire
 * strings and nanosecond timestamps survive) and maps it in alpaca-mappers / alpaca-account-mappers.
 * Must preserve: no SDK type leaves this module; every failure is a BrokerError; a submit is
 * sent once and settled by client_order_id (submit.ts); a 404 on a lookup is `null`.
 */
import type { marketData, trading } from '@alpacahq/alpaca-trade-api';
import type { DecimalString } from '../../core/decimal.js';
import type { Order } from '../../core/order.js';
import type { OrderRequest } from '../../core/order-request.js';
import type { AccountSnapshot, Position } from '../../core/position.js';
import { type Timestamp, timestampMs } from '../../core/time.js';
import {
  type Asset,
  type Broker,
  BrokerError,
  type CancelResult,
  type CloseResult,
  type FillActivityPage,
  type FillActivityQuery,
  type HistoryPoint,
  type MarketClock,
  type OrderQuery,
  type Quote,
  type RequestLane,
  type RequestOptions,
} from '../../ports/broker.js';
import {
  mapAccount,
  mapAsset,
  mapCancelResults,
  mapClock,
  mapCloseResults,
  mapHistory,
  mapPositions,
  mapQuotes,
} from './alpaca-account-mappers.js';
import { toBrokerError } from './alpaca-errors.js';
import { mapFillActivities, mapOrder, mapOrders } from './alpaca-mappers.js';
import { toPostOrderRequest } from './alpaca-requests.js';
import type { BudgetClock, RequestBudget } from './request-budget.js';
import { submitOnce } from './submit.js';
import { WireDataError } from './wire-reader.js';

/** The SDK API classes the adapter uses, built by create-alpaca-broker.ts. */
export interface AlpacaApis {
  account: trading.AccountsApi;
  configurations: trading.AccountConfigurationsApi;
  activities: trading.AccountActivitiesApi;
  assets: trading.AssetsApi;
  clock: trading.ClockApi;
  history: trading.PortfolioHistoryApi;
  orders: trading.OrdersApi;
  positions: trading.PositionsApi;
  stocks: marketData.StockApi;
}

export interface AlpacaBrokerDeps {
  apis: AlpacaApis;
  /** Budget for the trading API. */
  budget: RequestBudget;
  /** Budget for the market-data API (its limit is counted separately). */
  dataBudget: RequestBudget;
  clock: BudgetClock;
  dataFeed: 'iex' | 'sip';
}

interface Call<T> {
  operation: string;
  lane: RequestLane;
  mutation?: boolean;
  data?: boolean;
  send: () => Promise<{ raw: Response }>;
  map: (json: unknown) => T;
}

const DEFAULT_PAGE_SIZE = 100;

async function readJson(response: Response, operation: string): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new WireDataError(operation, text.slice(0, 200), 'expected a JSON body');
  }
}

export class AlpacaBroker implements Broker {
  readonly #api: AlpacaApis;
  readonly #deps: AlpacaBrokerDeps;

  constructor(deps: AlpacaBrokerDeps) {
    this.#deps = deps;
    this.#api = deps.apis;
  }

  async #call<T>(c: Call<T>): Promise<T> {
    await (c.data ? this.#deps.dataBudget : this.#deps.budget).acquire(c.lane);
    let json: unknown;
    try {
      const response = await c.send();
      json = await readJson(response.raw, c.operation);
    } catch (err) {
      throw toBrokerError(err, { operation: c.operation, mutation: c.mutation ?? false });
    }
    return c.map(json);
  }

  /** Like #call, but a 404 answers null. */
  async #find<T>(c: Call<T>): Promise<T | null> {
    try {
      return await this.#call(c);
    } catch (err) {
      if (err instanceof BrokerError && err.code === 'not_found') return null;
      throw err;
    }
  }

  #now(): Timestamp {
    return this.#deps.clock.now().toISOString();
  }

  getAccount(opts?: RequestOptions): Promise<AccountSnapshot> {
    const at = this.#now();
    return this.#call({
      operation: 'get account',
      lane: opts?.lane ?? 'read',
      send: () => this.#api.account.getAccountRaw(),
      map: (json) => mapAccount(json, at),
    });
  }

  async setTradeSuspended(suspended: boolean, opts?: RequestOptions): Promise<void> {
    await this.#call({
      operation: `set suspend_trade=${suspended}`,
      lane: opts?.lane ?? 'kill_switch',
      mutation: true,
      send: () =>
        this.#api.configurations.patchAccountConfigRaw({
          accountConfigurations: { suspendTrade: suspended },
        }),
      map: () => undefined,
    });
  }

  listPositions(opts?: RequestOptions): Promise<Position[]> {
    const at = this.#now();
    return this.#call({
      operation: 'list positions',
      lane: opts?.lane ?? 'read',
      send: () => this.#api.positions.getAllOpenPositionsRaw(),
      map: (json) => mapPositions(json, at),
    });
  }

  listOrders(query: OrderQuery, opts?: RequestOptions): Promise<Order[]> {
    return this.#call({
      operation: 'list orders',
      lane: opts?.lane ?? 'read',
      send: () =>
        this.#api.orders.getAllOrdersRaw({
          status: query.status,
          after: query.after,
          until: query.until,
          direction: query.direction,
          limit: query.limit,
          symbols: query.symbols?.length ? query.symbols.join(',') : undefined,
        }),
      map: (json) => mapOrders(json),
    });
  }

  getOrder(id: string, opts?: RequestOptions): Promise<Order | null> {
    return this.#find({
      operation: `get order ${id}`,
      lane: opts?.lane ?? 'read',
      send: () => this.#api.orders.getOrderByOrderIDRaw({ orderId: id }),
      map: (json) => mapOrder(json),
    });
  }

  getOrderByClientOrderId(clientOrderId: string, opts?: RequestOptions): Promise<Order | null> {
    return this.#find({
      operation: `get order by client_order_id ${clientOrderId}`,
      lane: opts?.lane ?? 'read',
      send: () => this.#api.orders.getOrderByClientOrderIdRaw({ clientOrderId }),
      map: (json) => mapOrder(json),
    });
  }

  submitOrder(request: OrderRequest, opts?: RequestOptions): Promise<Order> {
    const lane = opts?.lane ?? 'entry';
    return submitOnce(
      {
        post: (r) =>
          this.#call({
            operation: `submit order ${r.clientOrderId}`,
            lane,
            mutation: true,
            send: () => this.#api.orders.postOrderRaw({ postOrderRequest: toPostOrderRequest(r) }),
            map: (json) => mapOrder(json),
          }),
        lookup: (id) => this.getOrderByClientOrderId(id, { lane }),
      },
      request,
    );
  }

  async cancelOrder(id: string, opts?: RequestOptions): Promise<void> {
    await this.#call({
      operation: `cancel order ${id}`,
      lane: opts?.lane ?? 'cancel',
      mutation: true,
      send: () => this.#api.orders.deleteOrderByOrderIDRaw({ orderId: id }),
      map: () => undefined,
    });
  }

  cancelAllOrders(opts?: RequestOptions): Promise<CancelResult[]> {
    return this.#call({
      operation: 'cancel all orders',
      lane: opts?.lane ?? 'cancel',
      mutation: true,
      send: () => this.#api.orders.deleteAllOrdersRaw(),
      map: (json) => mapCancelResults(json ?? []),
    });
  }

  closePosition(
    symbol: string,
    amount?: { qty: DecimalString } | { percentage: DecimalString },
    opts?: RequestOptions,
  ): Promise<Order> {
    // The generated types say number, but the query builder only stringifies the value: passing
    // the decimal string sends it exactly (a number could turn 0.000000001 into "1e-9").
    const asQuery = (v: DecimalString) => v as unknown as number;
    return this.#call({
      operation: `close position ${symbol}`,
      lane: opts?.lane ?? 'exit',
      mutation: true,
      send: () =>
        this.#api.positions.deleteOpenPositionRaw({
          symbolOrAssetId: symbol,
          ...(amount && 'qty' in amount ? { qty: asQuery(amount.qty) } : {}),
          ...(amount && 'percentage' in amount ? { percentage: asQuery(amount.percentage) } : {}),
        }),
      map: (json) => mapOrder(json),
    });
  }

  closeAllPositions(cancelOrders: boolean, opts?: RequestOptions): Promise<CloseResult[]> {
    return this.#call({
      operation: 'close all positions',
      lane: opts?.lane ?? 'exit',
      mutation: true,
      send: () => this.#api.positions.deleteAllOpenPositionsRaw({ cancelOrders }),
      map: (json) => mapCloseResults(json ?? []),
    });
  }

  listFillActivities(query: FillActivityQuery, opts?: RequestOptions): Promise<FillActivityPage> {
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    return this.#call({
      operation: 'list FILL activities',
      lane: opts?.lane ?? 'read',
      send: () =>
        this.#api.activities.getAccountActivitiesByActivityTypeRaw({
          activityType: 'FILL',
          direction: 'asc',
          pageSize,
          // The SDK sends a Date (milliseconds): flooring keeps `after` inclusive of the same
          // millisecond, so a page may repeat an execution but never skips one.
          ...(query.after ? { after: new Date(timestampMs(query.after) - 1) } : {}),
          ...(query.pageToken ? { pageToken: query.pageToken } : {}),
        }),
      map: (json) => {
        const fills = mapFillActivities(json);
        const last = fills.at(-1);
        return { fills, nextPageToken: last && fills.length >= pageSize ? last.activityId : null };
      },
    });
  }

  getClock(opts?: RequestOptions): Promise<MarketClock> {
    return this.#call({
      operation: 'get clock',
      lane: opts?.lane ?? 'read',
      send: () => this.#api.clock.legacyClockRaw(),
      map: (json) => mapClock(json),
    });
  }

  getAsset(symbol: string, opts?: RequestOptions): Promise<Asset | null> {
    return this.#find({
      operation: `get asset ${symbol}`,
      lane: opts?.lane ?? 'read',
      send: () => this.#api.assets.getV2AssetsSymbolOrAssetIdRaw({ symbolOrAssetId: symbol }),
      map: (json) => mapAsset(json),
    });
  }

  async getQuotes(symbols: string[], opts?: RequestOptions): Promise<Map<string, Quote>> {
    if (symbols.length === 0) return new Map();
    const lane = opts?.lane ?? 'read';
    const request = { symbols: symbols.join(','), feed: this.#deps.dataFeed };
    const [trades, quotes] = await Promise.all([
      this.#call({
        operation: 'latest trades',
        lane,
        data: true,
        send: () => this.#api.stocks.stockLatestTradesRaw(request),
        map: (json) => json,
      }),
      this.#call({
        operation: 'latest quotes',
        lane,
        data: true,
        send: () => this.#api.stocks.stockLatestQuotesRaw(request),
        map: (json) => json,
      }),
    ]);
    return mapQuotes(trades, quotes);
  }

  getPortfolioHistory(
    query: { period: string; timeframe: string },
    opts?: RequestOptions,
  ): Promise<HistoryPoint[]> {
    return this.#call({
      operation: 'portfolio history',
      lane: opts?.lane ?? 'read',
      send: () =>
        this.#api.history.getAccountPortfolioHistoryRaw({ period: query.period, timeframe: query.timeframe }),
      map: (json) => mapHistory(json),
    });
  }
}
