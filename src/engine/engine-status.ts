/**
 * The engine's live status, shared by its loops and published by the heartbeat: stream state and
 * health, last event and sync times, readiness (startup reconciliation done) and the reason when
 * not ready. One mutable object owned by the engine; loops write, the heartbeat reads.
 */

import type { EngineStreamState } from '../contract/stream-state.js';
import type { Timestamp } from '../core/time.js';
import { effectiveTradingState, type TradingState } from '../core/trading-state.js';
import { EngineMetrics } from './engine-metrics.js';

export class EngineStatus {
  streamState: EngineStreamState = 'disconnected';
  /** True once the stream is listening and the gap since the last event is back-filled. */
  streamHealthy = false;
  lastEventAt: Timestamp | null = null;
  lastSyncAt: Timestamp | null = null;
  lastReconcileAt: Timestamp | null = null;
  /** Milliseconds between the broker's event time and its persistence, for the last event. */
  lagMs: number | null = null;
  /** True once the startup reconciliation succeeded; commands run only then. */
  ready = false;
  /** Why the engine is not ready or not healthy (shown in the heartbeat). */
  reason: string | null = 'starting';
  lastError: string | null = null;
  persistedTradingState: TradingState = 'ACTIVE';
  eventsPersisted = 0;
  reconnects = 0;
  readonly metrics = new EngineMetrics();

  /** The trading state the engine enforces: REDUCING while the stream is down. */
  tradingState(streamRequired: boolean): TradingState {
    return effectiveTradingState(this.persistedTradingState, !streamRequired || this.streamHealthy);
  }
}
