/**
 * Changes the persisted trading state: the new state and its audit event (`trading_state.changed`,
 * with actor, reason and correlation id) are written in one transaction, under the engine's lease
 * fence (a former lease holder cannot change it), then the engine's live status follows, so the
 * heartbeat and the command gate see it at once. A change to the state it already has writes
 * nothing. HALTED closes the submission gate BEFORE it is written (nothing can start from then on);
 * leaving HALTED reopens it only once the new state is stored.
 */
import { AUDIT_ACTIONS } from '../../contract/audit-actions.js';
import type { TradingState } from '../../core/trading-state.js';
import type { Clock } from '../../ports/clock.js';
import type { Fence, Store } from '../../ports/store.js';
import type { Announce } from '../change-announcer.js';
import type { EngineStatus } from '../engine-status.js';
import { SubmissionGate } from './submission-gate.js';

export interface StateChange {
  actor: string;
  reason: string;
  correlationId: string | null;
  data?: Record<string, unknown>;
}

export interface TradingStateDeps {
  store: Store;
  clock: Clock;
  status: EngineStatus;
  profileId: string;
  /** The lease fence the write is made under (absent only in tests without a lease). */
  fence?: () => Fence;
  /** Announces a stored change of state ('trading_state'). */
  announce?: Announce;
}

export class TradingStateControl {
  /** Serialises submissions with HALTED (see submission-gate.ts). */
  readonly gate = new SubmissionGate();

  constructor(private readonly d: TradingStateDeps) {}

  get persisted(): TradingState {
    return this.d.status.persistedTradingState;
  }

  /** Sets `state`; returns the previous state, or null when nothing changed. */
  async set(state: TradingState, change: StateChange): Promise<TradingState | null> {
    const { store, clock, status, profileId } = this.d;
    if (state === 'HALTED') this.gate.close(change.reason);
    const fence = this.d.fence?.();
    const at = clock.timestamp();
    const from = await store.transaction(async (tx) => {
      const before = (await tx.tradingState.get(profileId))?.state ?? 'ACTIVE';
      if (before === state) return null;
      await tx.tradingState.set(
        {
          profileId,
          state,
          reason: change.reason,
          changedBy: change.actor,
          changedAt: at,
        },
        fence,
      );
      await tx.audit.append({
        profileId,
        at,
        actor: change.actor,
        action: AUDIT_ACTIONS.tradingStateChanged,
        reason: change.reason,
        subjectType: 'trading_state',
        subjectId: profileId,
        correlationId: change.correlationId,
        data: { from: before, to: state, ...change.data },
      });
      return before;
    });
    if (from !== null) this.d.announce?.('trading_state');
    status.persistedTradingState = state;
    if (state !== 'HALTED') this.gate.open();
    return from;
  }
}
