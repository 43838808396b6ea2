/**
 * The risk engine: every order passes through it, once for the draft preview (API) and again,
 * authoritatively, on fresh state just before submission (engine). It runs every check and
 * reports each one (pass, or deny with a stable code and the numbers), plus the preview a person
 * sees before confirming. Pure: same context, same verdict.
 */
import { dec, str } from '../decimal.js';
import type { DraftPreview, RiskCheckResult, RiskVerdict } from '../draft.js';
import { estimateOrder, openingQty, resultingNotional } from './order-estimate.js';
import * as checks from './risk-checks.js';
import type { RiskContext, RiskLimits } from './risk-types.js';

/** Check names as reported in verdicts, in evaluation order. */
export const RISK_CHECKS: ReadonlyArray<[name: string, check: checks.RiskCheck]> = [
  ['trading_state', checks.tradingState],
  ['symbol_lists', checks.symbolLists],
  ['asset', checks.asset],
  ['precision', checks.precision],
  ['fractional_day_only', checks.fractionalDayOnly],
  ['market_hours', checks.marketHours],
  ['price_known', checks.priceKnown],
  ['order_size', checks.orderSize],
  ['position_size', checks.positionSize],
  ['order_counts', checks.orderCounts],
  ['no_accidental_short', checks.noAccidentalShort],
  ['price_collar', checks.priceCollar],
  ['daily_loss', checks.dailyLoss],
  ['buying_power', checks.buyingPower],
];

export interface RiskAssessment {
  verdict: RiskVerdict;
  preview: DraftPreview;
}

export function assessOrder(ctx: RiskContext, limits: RiskLimits): RiskAssessment {
  const estimate = estimateOrder(ctx.intent, ctx.quote, ctx.positionQty);
  const results: RiskCheckResult[] = RISK_CHECKS.map(([name, check]) => {
    const denial = check({ ctx, limits, estimate });
    return denial === null
      ? { check: name, passed: true, code: null, message: 'ok' }
      : { check: name, passed: false, code: denial.code, message: denial.message };
  });
  const after = resultingNotional(estimate);
  const equity = dec(ctx.equity);
  const cost = estimate.price === null ? null : openingQty(estimate, ctx.positionQty).times(estimate.price);
  return {
    verdict: { allowed: results.every((r) => r.passed), checks: results },
    preview: {
      estimatedPrice: estimate.price === null ? null : str(estimate.price),
      estimatedNotional: estimate.notional === null ? null : estimate.notional.toFixed(2),
      shareOfEquity: after === null || !equity.gt(0) ? null : str(after.div(equity).toDecimalPlaces(6)),
      buyingPowerAfter: cost === null ? null : dec(ctx.buyingPower).minus(cost).toFixed(2),
      resultingPositionQty: estimate.resultingQty === null ? ctx.positionQty : str(estimate.resultingQty),
    },
  };
}

/** The first denial of a verdict, for short messages. */
export function firstDenial(verdict: RiskVerdict): RiskCheckResult | null {
  return verdict.checks.find((c) => !c.passed) ?? null;
}

export { dailyLossBreached } from './risk-checks.js';
