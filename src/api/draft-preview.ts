/**
 * What a draft shows before it is confirmed: the preview (estimated price and notional, share of
 * equity, buying power after, resulting position) and the verdict of the full risk engine
 * (src/core/risk), run on a RiskContext gathered from the store (risk-context.ts). The confirm
 * calls the same `assessDraft` again on fresh state. The engine runs the same checks once more,
 * authoritatively, just before it submits. The live-mode confirmation phrase is derived here too.
 */
import type { DraftPreview, RiskVerdict } from '../core/draft.js';
import type { OrderIntent } from '../core/order-request.js';
import { assessOrder } from '../core/risk/risk-engine.js';
import type { ApiContext } from './context.js';
import { gatherRiskContext } from './risk-context.js';

export interface DraftAssessment {
  preview: DraftPreview;
  verdict: RiskVerdict;
}

/** Adds the context's notes to the checks they explain ("ok" gives way to the note). */
function annotate(verdict: RiskVerdict, notes: Record<string, string>): RiskVerdict {
  return {
    allowed: verdict.allowed,
    checks: verdict.checks.map((c) => {
      const note = notes[c.check];
      if (note === undefined) return c;
      return { ...c, message: c.passed && c.message === 'ok' ? `ok; ${note}` : `${c.message} (${note})` };
    }),
  };
}

/** Preview and verdict of `intent` as things stand now. */
export async function assessDraft(
  ctx: ApiContext,
  intent: OrderIntent,
  /** The store's time (ms) when the caller has just read it. */
  nowMs?: number,
): Promise<DraftAssessment> {
  const gathered = await gatherRiskContext(ctx, intent, nowMs);
  const { verdict, preview } = assessOrder(gathered.ctx, ctx.config.risk);
  return { preview, verdict: annotate(verdict, gathered.notes) };
}

/** The phrase a person types to confirm a live order: "BUY 10 AAPL" or "SELL $500 AAPL". */
export function confirmPhraseFor(intent: OrderIntent): string {
  const amount = intent.qty !== undefined ? intent.qty : `$${intent.notional}`;
  return `${intent.side.toUpperCase()} ${amount} ${intent.symbol}`;
}

/** Case and spacing do not matter; the words and numbers do. */
export function phraseMatches(typed: string | undefined, expected: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toUpperCase();
  return typed !== undefined && norm(typed) === norm(expected);
}
