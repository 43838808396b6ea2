/**
 * Positions and account from the broker's REST view. A refresh replaces the ledger's positions
 * with REST's, except for symbols the stream touched while the REST call was in flight (the stream
 * value is newer there and stays provisional). A quantity the refresh had to correct (the ledger
 * disagreed with the broker) is a repair and gets an audit event.
 */
import { AUDIT_ACTIONS } from '../contract/audit-actions.js';
import { dec } from '../core/decimal.js';
import type { Position } from '../core/position.js';
import type { Broker } from '../ports/broker.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { Announce } from './change-announcer.js';

/** Counts stream position writes per symbol, so a refresh can tell which ones raced it. */
export class PositionTouches {
  #seq = 0;
  readonly #last = new Map<string, number>();

  touch(symbol: string): void {
    this.#last.set(symbol, ++this.#seq);
  }

  mark(): number {
    return this.#seq;
  }

  touchedSince(mark: number): Set<string> {
    return new Set([...this.#last].filter(([, seq]) => seq > mark).map(([symbol]) => symbol));
  }
}

export interface PositionSyncDeps {
  store: Store;
  broker: Broker;
  clock: Clock;
  profileId: string;
  touches: PositionTouches;
  correlationId: () => string;
  /** Announces positions and account writes (after their commit). */
  announce?: Announce;
}

export interface PositionRefresh {
  /** The broker's quantities by symbol (symbols held only). */
  brokerQty: Map<string, string>;
  /** Symbols whose ledger quantity the refresh had to correct. */
  corrections: Correction[];
  /** Local time the REST request was sent (ms): the view is at least this recent. */
  requestedAtMs: number;
}

/** Fetches REST positions and writes them; returns the broker's view and the corrections made. */
export async function refreshPositions(d: PositionSyncDeps, reason: string): Promise<PositionRefresh> {
  const mark = d.touches.mark();
  const requestedAtMs = d.clock.now().getTime();
  const rest = await d.broker.listPositions({ lane: 'read' });
  const asOf = d.clock.timestamp();
  const corrections = await d.store.transaction(async (tx) => {
    const raced = d.touches.touchedSince(mark);
    const ledger = await tx.positions.list(d.profileId);
    const bySymbol = new Map(ledger.map((p) => [p.symbol, p]));
    const kept = ledger.filter((p) => raced.has(p.symbol));
    const merged = [...rest.filter((p) => !raced.has(p.symbol)), ...kept];
    await tx.positions.replaceAll(d.profileId, merged, asOf);
    for (const p of kept)
      await tx.positions.applyStreamQty(d.profileId, p.symbol, p.qty, p.avgEntryPrice, p.asOf);
    const corrections = diffPositions(bySymbol, rest, raced);
    for (const c of corrections) {
      await tx.audit.append({
        profileId: d.profileId,
        at: asOf,
        actor: 'engine',
        action: AUDIT_ACTIONS.reconcilePositionCorrected,
        reason,
        subjectType: 'position',
        subjectId: c.symbol,
        correlationId: d.correlationId(),
        data: { ...c },
      });
    }
    return corrections;
  });
  d.announce?.('positions');
  return { brokerQty: new Map(rest.map((p) => [p.symbol, p.qty])), corrections, requestedAtMs };
}

export interface Correction {
  symbol: string;
  ledgerQty: string;
  brokerQty: string;
  ledgerProvenance: string | null;
}

function diffPositions(ledger: Map<string, Position>, rest: Position[], raced: Set<string>): Correction[] {
  const out: Correction[] = [];
  const restBySymbol = new Map(rest.map((p) => [p.symbol, p]));
  const symbols = new Set([...ledger.keys(), ...restBySymbol.keys()]);
  for (const symbol of [...symbols].sort()) {
    if (raced.has(symbol)) continue;
    const before = ledger.get(symbol);
    const after = restBySymbol.get(symbol);
    const beforeQty = before?.qty ?? '0';
    const afterQty = after?.qty ?? '0';
    if (dec(beforeQty).eq(afterQty)) continue;
    out.push({
      symbol,
      ledgerQty: beforeQty,
      brokerQty: afterQty,
      ledgerProvenance: before?.provenance ?? null,
    });
  }
  return out;
}

/** Appends the broker's account as a snapshot (source 'sync'). */
export async function snapshotAccount(
  d: Pick<PositionSyncDeps, 'store' | 'broker' | 'profileId' | 'announce'>,
): Promise<void> {
  const account = await d.broker.getAccount({ lane: 'read' });
  await d.store.accounts.append(d.profileId, { ...account, source: 'sync' });
  d.announce?.('account');
}
