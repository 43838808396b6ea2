/**
 * Derived account views over the broker state that placement, the facade and the day roll share:
 * the account flags the risk checks read, the effective margin multiplier and the account figures.
 * Must preserve: figures are computed from the live state on every call (no caching), so they are
 * coherent after every fill.
 */
import { Decimal } from '../core/decimal.js';
import { type AccountFigures, computeFigures } from './account-view.js';
import type { BrokerState } from './broker-state.js';
import type { AccountFlags } from './risk-checks.js';

/** The account multiplier: the configured one, capped by max_margin_multiplier. */
export function effectiveMultiplier(s: BrokerState): Decimal {
  return Decimal.min(s.optionMultiplier, new Decimal(s.config.max_margin_multiplier));
}

export function flagsOf(s: BrokerState): AccountFlags {
  return {
    shortingEnabled: s.meta.shortingEnabled,
    tradingBlocked: s.meta.tradingBlocked,
    accountBlocked: s.meta.accountBlocked,
    suspendTrade: s.config.suspend_trade,
    noShorting: s.config.no_shorting,
  };
}

export function figuresOf(s: BrokerState): AccountFigures {
  const priceOf = (symbol: string) => s.market.quote(symbol)?.last;
  return computeFigures(
    s.portfolio.cash,
    s.portfolio.positions.values(),
    priceOf,
    effectiveMultiplier(s),
    s.reservedTotal,
  );
}
