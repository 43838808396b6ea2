/**
 * The heartbeat row: every few seconds the engine writes its stream state, last event time, last
 * sync time, event lag, version, readiness and effective trading state, so the API and the UI can
 * tell whether the ledger is live. The beat's time is read from the store's clock, the one the API
 * measures its age with. A failed write is logged and retried on the next beat.
 */
import type { EngineStreamState } from '../contract/stream-state.js';
import type { Timestamp } from '../core/time.js';
import type { Clock } from '../ports/clock.js';
import type { HeartbeatRepository } from '../ports/store.js';
import type { Announce } from './change-announcer.js';
import type { EngineStatus } from './engine-status.js';

export interface HeartbeatOptions {
  heartbeats: HeartbeatRepository;
  /** The store's clock: the API compares the beat's time with it (one clock, not two hosts'). */
  now?: () => Promise<Timestamp>;
  clock: Clock;
  status: EngineStatus;
  profileId: string;
  environment: 'paper' | 'live';
  holder: string;
  version: string;
  intervalMs: number;
  streamRequired: boolean;
  onError?: (error: unknown) => void;
  /** Announces each beat written ('engine'). */
  announce?: Announce;
}

export class HeartbeatPublisher {
  #timer: { cancel(): void } | null = null;
  #stopped = false;

  constructor(private readonly o: HeartbeatOptions) {}

  start(): void {
    this.#stopped = false;
    this.#tick();
  }

  #tick(): void {
    if (this.#stopped) return;
    void this.beat()
      .catch((error) => this.o.onError?.(error))
      .finally(() => {
        if (!this.#stopped) this.#timer = this.o.clock.setTimeout(() => this.#tick(), this.o.intervalMs);
      });
  }

  /** Writes one heartbeat now. */
  async beat(overrideState?: EngineStreamState): Promise<void> {
    const s = this.o.status;
    const at = this.o.now ? await this.o.now() : this.o.clock.timestamp();
    await this.o.heartbeats.write({
      profileId: this.o.profileId,
      environment: this.o.environment,
      holder: this.o.holder,
      version: this.o.version,
      streamState: overrideState ?? s.streamState,
      lastEventAt: s.lastEventAt,
      lastSyncAt: s.lastSyncAt,
      lagMs: s.lagMs,
      at,
      detail: {
        ready: s.ready,
        acceptingCommands: s.ready,
        reason: s.reason,
        streamHealthy: s.streamHealthy,
        tradingState: s.tradingState(this.o.streamRequired),
        persistedTradingState: s.persistedTradingState,
        lastReconcileAt: s.lastReconcileAt,
        lastError: s.lastError,
        eventsPersisted: s.eventsPersisted,
        reconnects: s.reconnects,
        metrics: s.metrics.snapshot(),
      },
    });
    this.o.announce?.('engine');
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
  }
}
