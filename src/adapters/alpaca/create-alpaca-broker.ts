/**
 * Builds the Alpaca adapter from plain config: the SDK's generated trading and market-data API
 * classes with explicit base paths (the simulator or Alpaca), GET-only retries, the request
 * budgets, and the trade stream. Every source of I/O (fetch, sockets, time) is injectable.
 * Must preserve: mutations are never retried by the SDK (its retry applies to safe verbs only)
 * and every retry it does make is debited from the budget; the SDK's own rate limiter stays off
 * because the budget (with priority lanes) is the limiter.
 */
import { marketData, trading } from '@alpacahq/alpaca-trade-api';
import type { Broker, TradeStream } from '../../ports/broker.js';
import { type AlpacaApis, AlpacaBroker } from './alpaca-broker.js';
import { AlpacaTradeStream, type StreamSocketFactory } from './alpaca-trade-stream.js';
import { type BudgetClock, type BudgetConfig, RequestBudget, wallClock } from './request-budget.js';

export type FetchApi = (url: string, init: RequestInit) => Promise<Response>;

export interface AlpacaAdapterConfig {
  /** Trading REST base (the SDK's basePath), e.g. https://paper-api.alpaca.markets. */
  tradingBaseUrl: string;
  /** trade_updates WebSocket URL, e.g. wss://paper-api.alpaca.markets/stream. */
  streamUrl: string;
  /** Market-data REST base, e.g. https://data.alpaca.markets. */
  dataBaseUrl: string;
  keyId: string;
  secret: string;
  dataFeed: 'iex' | 'sip';
  /** REST budget per API (default 190/min, burst 10). */
  budget?: BudgetConfig;
  fetchApi?: FetchApi;
  wsFactory?: StreamSocketFactory;
  clock?: BudgetClock;
  /** SDK retries of safe (GET) requests: default 2 retries, 250 ms base, 2 s cap. */
  retry?: { maxRetries?: number; retryDelayMs?: number; maxDelayMs?: number };
  /** Per-attempt HTTP timeout (SDK default 30 s). */
  timeoutMs?: number;
  /** trade stream: wait for the listening ack (default 15 s) and keepalive ping interval. */
  stream?: { connectTimeoutMs?: number; pingIntervalMs?: number };
}

export interface AlpacaAdapter {
  broker: Broker;
  tradeStream: TradeStream;
  /** The trading API's budget (for metrics: available tokens, waiting requests). */
  budget: RequestBudget;
  /** The market-data API's budget. */
  dataBudget: RequestBudget;
}

function sdkConfig(config: AlpacaAdapterConfig, basePath: string, budget: RequestBudget) {
  return {
    basePath: basePath.replace(/\/+$/, ''),
    keyId: config.keyId,
    secret: config.secret,
    ...(config.fetchApi ? { fetchApi: config.fetchApi } : {}),
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    retry: {
      maxRetries: config.retry?.maxRetries ?? 2,
      retryDelayMs: config.retry?.retryDelayMs ?? 250,
      maxDelayMs: config.retry?.maxDelayMs ?? 2_000,
      onRetry: () => budget.debit(),
    },
  };
}

export function createAlpacaBroker(config: AlpacaAdapterConfig): AlpacaAdapter {
  const clock = config.clock ?? wallClock;
  const budget = new RequestBudget(config.budget, clock);
  const dataBudget = new RequestBudget(config.budget, clock);
  const cfg = new trading.Configuration(sdkConfig(config, config.tradingBaseUrl, budget));
  const dataCfg = new marketData.Configuration(sdkConfig(config, config.dataBaseUrl, dataBudget));
  const apis: AlpacaApis = {
    account: new trading.AccountsApi(cfg),
    configurations: new trading.AccountConfigurationsApi(cfg),
    activities: new trading.AccountActivitiesApi(cfg),
    assets: new trading.AssetsApi(cfg),
    clock: new trading.ClockApi(cfg),
    history: new trading.PortfolioHistoryApi(cfg),
    orders: new trading.OrdersApi(cfg),
    positions: new trading.PositionsApi(cfg),
    stocks: new marketData.StockApi(dataCfg),
  };
  const broker = new AlpacaBroker({ apis, budget, dataBudget, clock, dataFeed: config.dataFeed });
  const tradeStream = new AlpacaTradeStream({
    url: config.streamUrl,
    keyId: config.keyId,
    secret: config.secret,
    clock,
    ...(config.wsFactory ? { wsFactory: config.wsFactory } : {}),
    ...config.stream,
  });
  return { broker, tradeStream, budget, dataBudget };
}
