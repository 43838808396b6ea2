/**
 * The stream supervisor: one trade_updates connection, kept up. On every disconnect it waits an
 * exponential backoff with full jitter (capped) and connects again; the backoff resets once a
 * connection has stayed healthy for a stable minute. After every (re)connect the gap since the
 * last event is recovered by REST BEFORE the stream is reported healthy; a failed recovery is
 * retried on the same backoff while the socket stays up. Stale callbacks of an old connection are
 * ignored (each attempt has a generation number).
 */

import { Backoff } from '../core/backoff.js';
import type { StreamState, TradeStream, TradeUpdate } from '../ports/broker.js';
import type { Clock } from '../ports/clock.js';
import type { EngineStatus } from './engine-status.js';

export interface StreamSupervisorOptions {
  stream: TradeStream;
  clock: Clock;
  status: EngineStatus;
  maxBackoffMs: number;
  baseBackoffMs?: number;
  stableMs?: number;
  random?: () => number;
  onUpdate: (update: TradeUpdate) => Promise<void>;
  /** Back-fills what the stream missed; resolves once the ledger is caught up. */
  recover: () => Promise<void>;
  onHealth: (healthy: boolean, detail: string) => void;
  onError: (error: unknown, what: string) => void;
}

export class StreamSupervisor {
  #gen = 0;
  #stopped = false;
  #down = new Set<number>();
  #timer: { cancel(): void } | null = null;
  #stable: { cancel(): void } | null = null;
  #abort = new AbortController();
  readonly backoff: Backoff;

  constructor(private readonly o: StreamSupervisorOptions) {
    this.backoff = new Backoff({
      baseMs: o.baseBackoffMs ?? 500,
      capMs: o.maxBackoffMs,
      ...(o.random ? { random: o.random } : {}),
    });
  }

  start(): void {
    void this.#attempt();
  }

  async #attempt(): Promise<void> {
    if (this.#stopped) return;
    const gen = ++this.#gen;
    this.o.status.streamState = 'connecting';
    await this.o.stream.close().catch(() => {});
    try {
      await this.o.stream.connect({
        onUpdate: (u) => this.o.onUpdate(u),
        onState: (state, detail) => this.#onState(gen, state, detail),
      });
    } catch (error) {
      this.#disconnected(gen, error instanceof Error ? error.message : String(error));
    }
  }

  #onState(gen: number, state: StreamState, detail?: string): void {
    if (gen !== this.#gen || this.#stopped) return;
    if (state === 'listening') {
      void this.#recover(gen);
    } else if (state === 'disconnected') {
      this.#disconnected(gen, detail ?? 'disconnected');
    } else if (state !== 'stopped') {
      this.o.status.streamState = state;
    }
  }

  async #recover(gen: number): Promise<void> {
    this.o.status.streamState = 'recovering';
    for (;;) {
      try {
        await this.o.recover();
        break;
      } catch (error) {
        this.o.onError(error, 'gap recovery');
        if (gen !== this.#gen || this.#stopped) return;
        await this.o.clock.sleep(this.backoff.next(), this.#abort.signal);
        if (gen !== this.#gen || this.#stopped || this.#down.has(gen)) return;
      }
    }
    if (gen !== this.#gen || this.#stopped || this.#down.has(gen)) return;
    this.o.status.streamState = 'listening';
    this.o.status.streamHealthy = true;
    this.o.onHealth(true, 'listening; gap recovered');
    this.#stable = this.o.clock.setTimeout(() => this.backoff.reset(), this.o.stableMs ?? 60_000);
  }

  #disconnected(gen: number, detail: string): void {
    if (gen !== this.#gen || this.#stopped || this.#down.has(gen)) return;
    this.#down.add(gen);
    this.#stable?.cancel();
    const wasHealthy = this.o.status.streamHealthy;
    this.o.status.streamHealthy = false;
    this.o.status.streamState = 'disconnected';
    this.o.status.reconnects++;
    if (wasHealthy || this.backoff.attempts === 0) this.o.onHealth(false, detail);
    const delay = this.backoff.next();
    this.#timer = this.o.clock.setTimeout(() => void this.#attempt(), delay);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    this.#timer?.cancel();
    this.#stable?.cancel();
    this.o.status.streamHealthy = false;
    this.o.status.streamState = 'stopped';
    await this.o.stream.close().catch((error) => this.o.onError(error, 'stream close'));
  }
}
