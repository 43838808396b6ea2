/**
 * The closed set of risk denial codes. Each is stable (scripts and the UI key on it) and
 * documented in docs/risk.md; a test keeps the two in step.
 */
export const DENIAL_CODES = {
  TRADING_HALTED: 'trading is HALTED: no new orders until a confirmed re-arm',
  TRADING_REDUCING: 'trading is REDUCING: only orders that shrink an existing position are admitted',
  SYMBOL_NOT_ALLOWED: 'the symbol is not on the allow list (RISK_SYMBOL_ALLOWLIST)',
  SYMBOL_DENIED: 'the symbol is on the deny list (RISK_SYMBOL_DENYLIST)',
  ASSET_UNKNOWN: 'the broker does not know the symbol',
  ASSET_NOT_TRADABLE: 'the broker marks the asset as not tradable or inactive',
  ASSET_NOT_FRACTIONABLE: 'a fractional or notional order for an asset that is not fractionable',
  ASSET_NOT_SHORTABLE: 'the order would open a short in an asset that is not shortable',
  PRICE_PRECISION: 'a price with more decimals than allowed (2 at or above $1, 4 below)',
  QTY_PRECISION: 'a quantity with more than 9 decimals, or a notional with more than 2',
  PRICE_UNAVAILABLE: 'no recent price for the symbol, so the order cannot be checked',
  ORDER_QTY_LIMIT: 'the order quantity is above RISK_MAX_ORDER_QTY',
  ORDER_NOTIONAL_LIMIT: 'the estimated order notional is above RISK_MAX_ORDER_NOTIONAL',
  POSITION_NOTIONAL_LIMIT: 'the position after the order would be above RISK_MAX_POSITION_NOTIONAL',
  POSITION_SHARE_LIMIT: 'the position after the order would be above RISK_MAX_POSITION_PCT_EQUITY of equity',
  OPEN_ORDERS_LIMIT: 'there are already RISK_MAX_OPEN_ORDERS open orders',
  ORDER_RATE_LIMIT: 'more than RISK_MAX_ORDERS_PER_MINUTE orders in the last minute',
  SHORT_NOT_ALLOWED: 'a sell larger than the position would go short, and shorting is not enabled',
  PRICE_COLLAR: 'the limit or stop price is further from the last price than RISK_PRICE_COLLAR_PCT',
  FRACTIONAL_DAY_ONLY: 'fractional and notional orders must be DAY orders',
  MARKET_CLOSED: 'the market is closed and the order does not qualify for extended hours',
  DAILY_LOSS_LIMIT: 'the daily loss limit (RISK_MAX_DAILY_LOSS) is breached',
  INSUFFICIENT_BUYING_POWER: 'the estimated cost is above the buying power',
  CONTEXT_UNAVAILABLE:
    'the engine could not gather the facts the risk checks need (broker or ledger unreadable), so nothing is sent',
} as const;

export type DenialCode = keyof typeof DENIAL_CODES;
