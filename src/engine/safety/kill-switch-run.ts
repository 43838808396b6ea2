/**
 * One kill-switch run's bookkeeping: per-symbol state (orders cancelled, quantity at the start,
 * last error), the broker calls it made and retried, its rounds, and its audit helper. A broker
 * call is retried up to 4 times with exponential backoff and gives up at once when the engine
 * stops (the command stays `running` and resumes at the next start). Used by ./kill-switch.ts.
 */

import type { AuditAction } from '../../contract/audit-actions.js';
import { type BackoffPolicy, backoffDelay } from '../../core/backoff.js';
import type { Command } from '../../core/command.js';
import { type Decimal, ZERO } from '../../core/decimal.js';
import type { Logger } from '../../logging/logger.js';
import type { Broker, RequestOptions } from '../../ports/broker.js';
import type { Clock } from '../../ports/clock.js';
import { StaleFenceError, type Store } from '../../ports/store.js';
import type { ChangeSignal } from '../change-signal.js';
import { LeaseLostError } from '../lease.js';
import type { SafetyOptions } from './safety-options.js';
import type { AuditInput, NotificationInput } from './safety-types.js';
import type { TradingStateControl } from './trading-state-control.js';

export const LANE: RequestOptions = { lane: 'kill_switch' };

/** A failed broker call is retried after 50, 100, then 200 ms (the cap is never reached in 4 tries). */
const CALL_RETRY: BackoffPolicy = { baseMs: 50, capMs: 1_000, jitter: 'none' };

export interface SymbolReport {
  symbol: string;
  cancelled_orders: number;
  closed_qty: string;
  status: 'closed' | 'failed';
  error?: string;
}

export interface KillSwitchReport {
  flat: boolean;
  symbols: SymbolReport[];
  /** Act-then-verify rounds. */
  attempts: number;
  /** Broker REST calls made (retries included). */
  rest_calls: number;
  /** Calls that failed and were retried. */
  retries: number;
  duration_ms: number;
  suspended: boolean;
  reason: string;
}

export class EngineStoppingError extends Error {
  constructor() {
    super('engine stopping: the kill switch resumes at the next start');
    this.name = 'EngineStoppingError';
  }
}

export interface KillSwitchDeps {
  broker: Broker;
  store: Store;
  clock: Clock;
  log: Logger;
  profileId: string;
  options: SafetyOptions;
  states: TradingStateControl;
  audit(event: AuditInput): Promise<void>;
  notify(notification: NotificationInput): Promise<void>;
  /** The engine's committed changes: the settle wait wakes on order changes (absent: it polls). */
  changes?: ChangeSignal;
}

export interface SymbolState {
  cancelled: number;
  startQty: Decimal;
  error: string | null;
}

export class Run {
  readonly started: number;
  readonly symbols = new Map<string, SymbolState>();
  readonly closeIds = new Set<string>();
  /** Symbols the last successful verification still saw (position or open order), with qty left. */
  left = new Map<string, Decimal>();
  calls = 0;
  retries = 0;
  rounds = 0;

  constructor(
    readonly d: KillSwitchDeps,
    readonly command: Command,
    readonly reason: string,
    readonly stopping: () => boolean,
  ) {
    this.started = d.clock.now().getTime();
  }

  sym(symbol: string): SymbolState {
    let s = this.symbols.get(symbol);
    if (!s) {
      s = { cancelled: 0, startQty: ZERO, error: null };
      this.symbols.set(symbol, s);
    }
    return s;
  }

  audit(action: AuditAction, data: Record<string, unknown>, reason: string | null = null): Promise<void> {
    return this.d.audit({
      actor: this.command.actor,
      action,
      reason,
      subjectType: 'command',
      subjectId: this.command.id,
      correlationId: this.command.correlationId,
      data,
    });
  }

  /** One broker call, retried up to 4 times with backoff; null when it kept failing. */
  async call<T>(
    what: string,
    fn: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
    let error = '';
    for (let i = 0; i < 4; i++) {
      if (this.stopping()) throw new EngineStoppingError();
      if (i > 0) {
        this.retries++;
        await this.d.clock.sleep(backoffDelay({ ...CALL_RETRY, attempt: i - 1 }));
      }
      this.calls++;
      try {
        return { ok: true, value: await fn() };
      } catch (e) {
        // The lease is gone: another engine owns the profile (and resumes this command).
        if (e instanceof LeaseLostError || e instanceof StaleFenceError) throw new EngineStoppingError();
        error = e instanceof Error ? e.message : String(e);
        this.d.log.warn({ err: e, what }, 'kill switch: broker call failed');
      }
    }
    return { ok: false, error: `${what}: ${error}` };
  }
}
