/** The inputs of a risk decision: limits (from RISK_* settings) and a snapshot of the world. */
import type { DecimalString } from '../decimal.js';
import type { OrderIntent } from '../order-request.js';
import type { TradingState } from '../trading-state.js';

/** A daily loss limit as an amount of money or a percentage of the previous close's equity. */
export type LossLimit = { kind: 'amount'; value: DecimalString } | { kind: 'percent'; value: DecimalString };

export interface RiskLimits {
  symbolAllowlist: readonly string[];
  symbolDenylist: readonly string[];
  maxOrderQty: DecimalString;
  maxOrderNotional: DecimalString;
  maxPositionNotional: DecimalString;
  /** Percent of equity (25 = 25 %). */
  maxPositionPctEquity: DecimalString;
  maxOpenOrders: number;
  maxOrdersPerMinute: number;
  allowShort: boolean;
  /** Percent distance from the last price (10 = 10 %). */
  priceCollarPct: DecimalString;
  allowExtendedHours: boolean;
  maxDailyLoss: LossLimit;
}

/** Market sessions: core hours, pre-market, after hours, closed. */
export const MARKET_SESSIONS = ['core', 'pre', 'post', 'closed'] as const;
export type MarketSession = (typeof MARKET_SESSIONS)[number];

export interface RiskAsset {
  tradable: boolean;
  active: boolean;
  fractionable: boolean;
  shortable: boolean;
}

export interface RiskQuote {
  last: DecimalString | null;
  bid: DecimalString | null;
  ask: DecimalString | null;
}

/** Everything a check needs to know, gathered fresh by the caller (API preview or engine). */
export interface RiskContext {
  intent: OrderIntent;
  tradingState: TradingState;
  asset: RiskAsset | null;
  quote: RiskQuote;
  /** Signed quantity currently held in the symbol. */
  positionQty: DecimalString;
  equity: DecimalString;
  lastEquity: DecimalString;
  buyingPower: DecimalString;
  openOrders: number;
  ordersLastMinute: number;
  session: MarketSession;
}
