/**
 * Account and position figures in Alpaca's wire shape, derived from cash, positions, current
 * prices and the buying power reserved by open orders.
 * Must preserve: equity = cash + long_market_value + short_market_value; portfolio_value = equity;
 * buying_power = max((equity - initial_margin) * multiplier - reserved, 0) for margin accounts and
 * cash - reserved for multiplier 1; short quantities and market values are negative.
 */
import { Decimal, str, ZERO } from '../core/decimal.js';
import { assetId, type SimAsset } from './assets.js';
import type { SimPosition } from './portfolio.js';

export interface AccountFigures {
  cash: Decimal;
  longMarketValue: Decimal;
  shortMarketValue: Decimal;
  equity: Decimal;
  initialMargin: Decimal;
  maintenanceMargin: Decimal;
  buyingPower: Decimal;
  nonMarginableBuyingPower: Decimal;
  multiplier: Decimal;
}

const HALF = new Decimal('0.5');
const MAINT = new Decimal('0.3');

export function computeFigures(
  cash: Decimal,
  positions: Iterable<SimPosition>,
  priceOf: (symbol: string) => Decimal | undefined,
  multiplier: Decimal,
  reserved: Decimal,
): AccountFigures {
  let longMv = ZERO;
  let shortMv = ZERO;
  for (const pos of positions) {
    const mv = pos.qty.times(priceOf(pos.symbol) ?? pos.avgEntry);
    if (mv.isNeg()) shortMv = shortMv.plus(mv);
    else longMv = longMv.plus(mv);
  }
  const equity = cash.plus(longMv).plus(shortMv);
  const gross = longMv.minus(shortMv);
  const initialMargin = gross.times(HALF);
  const maintenanceMargin = gross.times(MAINT);
  const nonMarginable = Decimal.max(cash.minus(reserved), ZERO);
  const buyingPower = multiplier.lte(1)
    ? nonMarginable
    : Decimal.max(Decimal.max(equity.minus(initialMargin), ZERO).times(multiplier).minus(reserved), ZERO);
  return {
    cash,
    longMarketValue: longMv,
    shortMarketValue: shortMv,
    equity,
    initialMargin,
    maintenanceMargin,
    buyingPower,
    nonMarginableBuyingPower: nonMarginable,
    multiplier,
  };
}

export interface AccountMeta {
  id: string;
  accountNumber: string;
  createdAt: number;
  lastEquity: Decimal;
  lastMaintenanceMargin: Decimal;
  balanceAsof: string;
  shortingEnabled: boolean;
  tradingBlocked: boolean;
  accountBlocked: boolean;
  tradeSuspendedByUser: boolean;
  legacyPdt: boolean;
}

export function accountToWire(
  meta: AccountMeta,
  f: AccountFigures,
  daytradeCount = 0,
): Record<string, unknown> {
  const bp = str(f.buyingPower);
  const body: Record<string, unknown> = {
    id: meta.id,
    account_number: meta.accountNumber,
    status: 'ACTIVE',
    crypto_status: 'ACTIVE',
    currency: 'USD',
    cash: str(f.cash),
    portfolio_value: str(f.equity),
    equity: str(f.equity),
    last_equity: str(meta.lastEquity),
    long_market_value: str(f.longMarketValue),
    short_market_value: str(f.shortMarketValue),
    position_market_value: str(f.longMarketValue.minus(f.shortMarketValue)),
    buying_power: bp,
    regt_buying_power: bp,
    effective_buying_power: bp,
    non_marginable_buying_power: str(f.nonMarginableBuyingPower),
    options_buying_power: str(f.buyingPower.div(2)),
    initial_margin: str(f.initialMargin),
    maintenance_margin: str(f.maintenanceMargin),
    last_maintenance_margin: str(meta.lastMaintenanceMargin),
    sma: str(meta.lastEquity),
    multiplier: str(f.multiplier),
    shorting_enabled: meta.shortingEnabled,
    trading_blocked: meta.tradingBlocked,
    transfers_blocked: false,
    account_blocked: meta.accountBlocked,
    trade_suspended_by_user: meta.tradeSuspendedByUser,
    created_at: new Date(meta.createdAt).toISOString(),
    accrued_fees: '0',
    pending_transfer_in: '0',
    pending_transfer_out: '0',
    pending_reg_taf_fees: '0',
    intraday_adjustments: '0',
    balance_asof: meta.balanceAsof,
    options_approved_level: 0,
    options_trading_level: 0,
    crypto_tier: 0,
  };
  if (meta.legacyPdt) {
    body.pattern_day_trader = false;
    body.daytrade_count = daytradeCount;
    body.daytrading_buying_power = str(f.buyingPower.times(2));
  }
  return body;
}

function ratio(num: Decimal, den: Decimal): string {
  return den.isZero() ? '0' : str(num.div(den).toDecimalPlaces(16));
}

/** The Position object (§2.2); `held` is the qty reserved by open orders that reduce it. */
export function positionToWire(
  pos: SimPosition,
  asset: SimAsset | undefined,
  current: Decimal,
  held: Decimal,
): Record<string, unknown> {
  const marketValue = pos.qty.times(current);
  const costBasis = pos.qty.times(pos.avgEntry);
  const pl = marketValue.minus(costBasis);
  const intradayBasis = pos.qty.times(pos.intradayAvg);
  const intradayPl = marketValue.minus(intradayBasis);
  return {
    asset_id: assetId(pos.symbol),
    symbol: pos.symbol,
    exchange: asset?.exchange ?? '',
    asset_class: 'us_equity',
    asset_marginable: asset?.marginable ?? true,
    qty: str(pos.qty),
    qty_available: str(Decimal.max(pos.qty.abs().minus(held), ZERO).times(pos.qty.isNeg() ? -1 : 1)),
    side: pos.qty.isNeg() ? 'short' : 'long',
    avg_entry_price: str(pos.avgEntry),
    cost_basis: str(costBasis),
    market_value: str(marketValue),
    current_price: str(current),
    lastday_price: str(pos.lastdayPrice),
    change_today: ratio(current.minus(pos.lastdayPrice), pos.lastdayPrice),
    unrealized_pl: str(pl),
    unrealized_plpc: ratio(pl, costBasis.abs()),
    unrealized_intraday_pl: str(intradayPl),
    unrealized_intraday_plpc: ratio(intradayPl, intradayBasis.abs()),
  };
}
