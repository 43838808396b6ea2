/**
 * Evidence that the trade stream lost events while it stayed connected. Alpaca's fill events carry
 * the position after the execution (position_qty), so on one connection a symbol's fills form a
 * chain: each event's position_qty is the previous one plus (buy) or minus (sell) its own qty. A
 * link that does not add up means an execution in between never arrived. The chain is the
 * stream's own (never the ledger's, which REST refreshes overwrite) and restarts on every
 * reconnect, whose gap the recovery re-reads anyway.
 *
 * A lost fill with no later fill on its symbol breaks no chain; the reconciliation finds it by
 * comparing the broker's positions with the chain's last link once the symbol has been quiet for
 * the re-read margin (so events still in flight are not taken for losses).
 */
import { dec } from '../core/decimal.js';
import type { Timestamp } from '../core/time.js';
import type { TradeUpdate } from '../ports/broker.js';

export interface LossEvidence {
  kind: 'position_chain' | 'position_mismatch' | 'order_mismatch';
  symbol: string;
  /** The loss happened after this broker time (for the audit trail; the re-read starts at the watermark). */
  since: Timestamp;
  detail: string;
}

interface Link {
  qty: string;
  /** Broker time of the event. */
  at: Timestamp;
  /** Local time the event was stored (ms). */
  seenAtMs: number;
}

export class StreamLossDetector {
  readonly #links = new Map<string, Link>();
  #evidence: LossEvidence[] = [];

  constructor(private readonly nowMs: () => number) {}

  /**
   * Follows one stored fill event (`inserted` false for a replayed execution: not a new link);
   * true when it broke the chain (evidence reported).
   */
  observe(update: TradeUpdate, inserted: boolean): boolean {
    if (update.event !== 'fill' && update.event !== 'partial_fill') return false;
    if (!inserted || update.positionQty === null || update.qty === null) return false;
    const symbol = update.order.symbol;
    const prev = this.#links.get(symbol);
    let broken = false;
    if (prev) {
      const delta = update.order.side === 'buy' ? dec(update.qty) : dec(update.qty).neg();
      const expected = dec(prev.qty).plus(delta);
      if (!expected.eq(update.positionQty)) {
        this.report({
          kind: 'position_chain',
          symbol,
          since: prev.at,
          detail: `position went ${prev.qty} -> ${update.positionQty} on a ${update.order.side} of ${update.qty} (expected ${expected.toString()})`,
        });
        broken = true;
      }
    }
    this.#links.set(symbol, { qty: update.positionQty, at: update.at, seenAtMs: this.nowMs() });
    return broken;
  }

  /** True while evidence waits for the next reconciliation. */
  get pending(): boolean {
    return this.#evidence.length > 0;
  }

  /** True when a fill of `symbol` arrived since the last reset. */
  has(symbol: string): boolean {
    return this.#links.has(symbol);
  }

  /** Forgets the chains (the stream disconnected: the gap recovery covers what came between). */
  reset(): void {
    this.#links.clear();
  }

  report(evidence: LossEvidence): void {
    this.#evidence.push(evidence);
  }

  /** After a deep re-read made the ledger equal to the broker: quiet chains continue from it. */
  rebase(broker: ReadonlyMap<string, string>, readAtMs: number, quietMs: number): void {
    for (const [symbol, link] of this.#links) {
      if (link.seenAtMs <= readAtMs - quietMs) link.qty = broker.get(symbol) ?? '0';
    }
  }

  /** The evidence gathered since the last call. */
  take(): LossEvidence[] {
    const out = this.#evidence;
    this.#evidence = [];
    return out;
  }

  /**
   * Compares the broker's positions (read at `readAtMs`) with the chains' last links: a symbol
   * quiet for `quietMs` whose broker quantity differs is evidence. Symbols without a chain are
   * not judged here (the reconciler judges them by what the ledger had).
   */
  compare(broker: ReadonlyMap<string, string>, readAtMs: number, quietMs: number): LossEvidence[] {
    const evidence: LossEvidence[] = [];
    for (const [symbol, link] of this.#links) {
      const brokerQty = broker.get(symbol) ?? '0';
      if (link.seenAtMs > readAtMs - quietMs || dec(link.qty).eq(brokerQty)) continue;
      evidence.push({
        kind: 'position_mismatch',
        symbol,
        since: link.at,
        detail: `broker holds ${brokerQty}, the stream's last fill left ${link.qty}`,
      });
    }
    return evidence;
  }
}
