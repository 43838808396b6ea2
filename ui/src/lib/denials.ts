/**
 * Plain-word explanations of the risk engine's denial codes (docs/risk.md). Codes are matched
 * case-insensitively (the API's first checks used lower case); an unknown code falls back to
 * the message the API sent, so a new check is never hidden.
 */
import type { RiskCheck } from '../api/types';
import { type DenialCode, isDenialCode } from '../contract';

/** One explanation per denial code of the contract (a new code fails to type-check until explained). */
export const DENIAL_EXPLANATIONS: Readonly<Record<DenialCode, string>> = {
  TRADING_HALTED:
    'Trading is halted (the kill switch or a loss limit). No new orders until someone re-arms trading.',
  TRADING_REDUCING:
    'Trading is in REDUCING mode: only orders that make an existing position smaller are allowed.',
  SYMBOL_NOT_ALLOWED: 'This symbol is not on the list of symbols you allowed (RISK_SYMBOL_ALLOWLIST).',
  SYMBOL_DENIED: 'This symbol is on the deny list (RISK_SYMBOL_DENYLIST) and may never be traded.',
  ASSET_UNKNOWN: 'The broker does not know this symbol. Check the spelling.',
  ASSET_NOT_TRADABLE: 'The broker marks this asset as not tradable or inactive.',
  ASSET_NOT_FRACTIONABLE: 'This asset cannot be bought in fractions or by dollar amount. Use whole shares.',
  ASSET_NOT_SHORTABLE: 'The order would open a short position, and this asset cannot be shorted.',
  PRICE_PRECISION: 'The price has too many decimals: 2 at or above $1, 4 below.',
  QTY_PRECISION: 'The quantity has more than 9 decimals, or the dollar amount more than 2.',
  PRICE_UNAVAILABLE: 'There is no recent price for this symbol, so the order cannot be checked safely.',
  ORDER_QTY_LIMIT: 'The quantity is larger than the largest order allowed (RISK_MAX_ORDER_QTY).',
  ORDER_NOTIONAL_LIMIT:
    'The order is worth more than the largest order value allowed (RISK_MAX_ORDER_NOTIONAL).',
  POSITION_NOTIONAL_LIMIT:
    'After this order the position would be worth more than allowed (RISK_MAX_POSITION_NOTIONAL).',
  POSITION_SHARE_LIMIT:
    'After this order the position would be too large a share of equity (RISK_MAX_POSITION_PCT_EQUITY).',
  OPEN_ORDERS_LIMIT: 'There are already as many open orders as allowed (RISK_MAX_OPEN_ORDERS).',
  ORDER_RATE_LIMIT: 'Too many orders in the last minute (RISK_MAX_ORDERS_PER_MINUTE). Wait a moment.',
  SHORT_NOT_ALLOWED: 'This sell is larger than the position and would go short; shorting is not enabled.',
  PRICE_COLLAR: 'The limit or stop price is too far from the last price (RISK_PRICE_COLLAR_PCT).',
  FRACTIONAL_DAY_ONLY: 'Fractional and dollar-amount orders must be DAY orders.',
  MARKET_CLOSED: 'The market is closed and this order does not qualify for extended hours.',
  DAILY_LOSS_LIMIT: 'Today’s loss limit (RISK_MAX_DAILY_LOSS) has been reached: new risk is blocked.',
  INSUFFICIENT_BUYING_POWER: 'The estimated cost is more than the buying power available.',
  CONTEXT_UNAVAILABLE:
    'The engine could not read what the risk checks need (the broker or the ledger), so nothing was sent. Try again shortly.',
};

/** The explanation for a code, or null when the code is unknown. */
export function explainCode(code: string | null | undefined): string | null {
  if (!code) return null;
  const upper = code.toUpperCase();
  return isDenialCode(upper) ? DENIAL_EXPLANATIONS[upper] : null;
}

export interface Denial {
  check: string;
  code: string;
  /** Plain words for a person. */
  explanation: string;
  /** The API's message with the numbers (the order's, the limit's). */
  detail: string;
}

/** Every failed check of a verdict, explained. */
export function denials(checks: readonly RiskCheck[]): Denial[] {
  return checks
    .filter((c) => !c.passed)
    .map((c) => ({
      check: c.check,
      code: (c.code ?? 'DENIED').toUpperCase(),
      explanation: explainCode(c.code) ?? c.message,
      detail: c.message,
    }));
}
