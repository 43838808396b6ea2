// Test support: SDK clients pointed at a running simulator (raw generated classes with an explicit
// basePath, the trading stream with a url override, market data with a basePath), and helpers that
// await stream events instead of sleeping.
import { marketData, streaming, trading } from '@alpacahq/alpaca-trade-api';
import type { RunningSimulator } from '../../src/sim/server.js';

export type TradeUpdate = Parameters<Parameters<streaming.TradingStream['onTradeUpdate']>[0]>[0];

export function sdkFor(
  sim: Pick<RunningSimulator, 'tradingUrl' | 'dataUrl' | 'keyId' | 'secret'>,
  keys?: { keyId: string; secret: string },
) {
  const cfg = new trading.Configuration({
    basePath: sim.tradingUrl,
    keyId: keys?.keyId ?? sim.keyId,
    secret: keys?.secret ?? sim.secret,
  });
  const dataCfg = new marketData.Configuration({
    basePath: sim.dataUrl,
    keyId: sim.keyId,
    secret: sim.secret,
  });
  return {
    cfg,
    orders: new trading.OrdersApi(cfg),
    account: new trading.AccountsApi(cfg),
    configs: new trading.AccountConfigurationsApi(cfg),
    positions: new trading.PositionsApi(cfg),
    clock: new trading.ClockApi(cfg),
    calendar: new trading.CalendarApi(cfg),
    assets: new trading.AssetsApi(cfg),
    activities: new trading.AccountActivitiesApi(cfg),
    history: new trading.PortfolioHistoryApi(cfg),
    stocks: new marketData.StockApi(dataCfg),
  };
}

export type Sdk = ReturnType<typeof sdkFor>;

export interface StreamHandle {
  stream: streaming.TradingStream;
  updates: TradeUpdate[];
  errors: string[];
  /** Resolves with the first update (already received or future) that matches. */
  next(match: (u: TradeUpdate) => boolean, timeoutMs?: number): Promise<TradeUpdate>;
  close(): void;
}

/** Opens the SDK trading stream, subscribes to trade_updates and waits for the listening ack. */
export async function openStream(
  sim: Pick<RunningSimulator, 'streamUrl' | 'keyId' | 'secret'>,
  extra: Partial<streaming.TradingStreamOptions> = {},
): Promise<StreamHandle> {
  const stream = new streaming.TradingStream({
    credentials: { keyId: sim.keyId, secret: sim.secret },
    url: sim.streamUrl,
    reconnect: false,
    ...extra,
  });
  const updates: TradeUpdate[] = [];
  const errors: string[] = [];
  const waiters: { match: (u: TradeUpdate) => boolean; resolve: (u: TradeUpdate) => void }[] = [];
  stream.onTradeUpdate((u) => {
    updates.push(u);
    for (const w of [...waiters]) {
      if (w.match(u)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(u);
      }
    }
  });
  stream.onError((e) => errors.push(e));
  const listening = new Promise<void>((resolve) => stream.once('subscription', () => resolve()));
  stream.onConnect(() => stream.subscribeTradeUpdates());
  stream.connect();
  await listening;
  return {
    stream,
    updates,
    errors,
    next(match, timeoutMs = 3000) {
      const seen = updates.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for a trade update')), timeoutMs);
        waiters.push({
          match,
          resolve: (u) => {
            clearTimeout(timer);
            resolve(u);
          },
        });
      });
    },
    close() {
      stream.disconnect();
    },
  };
}

/** Matches an update by order id (or client order id) and event name. */
export function updateFor(orderId: string, event: string) {
  return (u: TradeUpdate) =>
    (u.order.id === orderId || u.order.clientOrderId === orderId) && u.event === event;
}
