/**
 * The mutable state of one simulated account, shared by the broker facade (broker.ts) and the
 * execution logic (execution.ts), plus the trade event and activity records they produce.
 * Must preserve: `reservedTotal` equals the sum of `reserved` over all orders; events are built
 * from the order's state after the change they announce.
 */
import type { Decimal } from '../core/decimal.js';
import type { AccountMeta } from './account-view.js';
import type { AssetRegistry } from './assets.js';
import type { Market } from './market.js';
import type { OrderBook } from './order-book.js';
import type { SimOrder } from './order-model.js';
import type { Portfolio } from './portfolio.js';
import type { Rng } from './rng.js';
import type { SimClock } from './sim-clock.js';

export type TradeEventName =
  | 'new'
  | 'fill'
  | 'partial_fill'
  | 'canceled'
  | 'expired'
  | 'done_for_day'
  | 'replaced'
  | 'accepted'
  | 'rejected'
  | 'pending_new'
  | 'pending_cancel'
  | 'pending_replace'
  | 'order_replace_rejected'
  | 'order_cancel_rejected';

export interface Execution {
  id: string;
  price: Decimal;
  qty: Decimal;
  positionQty: Decimal;
}

export interface TradeEvent {
  event: TradeEventName;
  order: SimOrder;
  at: number;
  execution: Execution | null;
}

export interface AccountConfig {
  dtbp_check?: string;
  no_shorting: boolean;
  suspend_trade: boolean;
  fractional_trading: boolean;
  max_margin_multiplier: string;
  trade_confirm_email: string;
  ptp_no_exception_entry: boolean;
  max_options_trading_level: number;
  disable_overnight_trading: boolean;
}

export interface FillActivity {
  at: number;
  wire: Record<string, unknown>;
}

export interface EquityPoint {
  /** Epoch seconds. */
  t: number;
  equity: Decimal;
}

export interface BrokerState {
  clock: SimClock;
  market: Market;
  assets: AssetRegistry;
  portfolio: Portfolio;
  book: OrderBook;
  activities: FillActivity[];
  history: EquityPoint[];
  meta: AccountMeta;
  config: AccountConfig;
  reservedTotal: Decimal;
  /** Multiplier from the options; the effective one is capped by config.max_margin_multiplier. */
  optionMultiplier: Decimal;
  partialFillProbability: number;
  dayExpiryStatus: 'expired' | 'canceled';
  fillRng: Rng;
  newId: () => string;
  emit: (event: TradeEvent) => void;
  /** Accepted orders waiting for a session in which they may be routed. */
  pending: Set<SimOrder>;
  counters: { ordersSubmitted: number; executions: number };
  /** ET date of the last end-of-day roll. */
  lastRollDate: string;
  /** How long a cancel stays pending_cancel and a replace pending_replace (0 = complete at once). */
  delays: () => PendingDelays;
  /** Replacements waiting for their old order to leave pending_replace, by old order id. */
  replacing: Map<string, SimOrder>;
  /** Timers of delayed cancels and replaces (cleared by a reset). */
  timers: Set<NodeJS.Timeout>;
  /** DELETE of a filled order: 422 (default) or 204 followed by `order_cancel_rejected`. */
  cancelFinalBehavior: '422' | '204';
  /** Legacy PDT bookkeeping (used only with `meta.legacyPdt`). */
  dayTrades: DayTradeBook;
}

/** Legacy PDT bookkeeping (day-trades.ts). */
export interface DayTradeBook {
  /** ET dates of counted day trades. */
  trades: string[];
  /** Symbols opened (position increased) and not closed since, with the ET date of the open. */
  openedOn: Map<string, string>;
}

export interface PendingDelays {
  cancelMs: number;
  replaceMs: number;
}

export const NO_DELAYS: PendingDelays = { cancelMs: 0, replaceMs: 0 };

export function defaultConfig(): AccountConfig {
  return {
    no_shorting: false,
    suspend_trade: false,
    fractional_trading: true,
    max_margin_multiplier: '4',
    trade_confirm_email: 'all',
    ptp_no_exception_entry: false,
    max_options_trading_level: 0,
    disable_overnight_trading: false,
  };
}
