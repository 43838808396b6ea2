/**
 * What the API runs on: its dependencies (injected by the caller of buildApp) and the tunables,
 * resolved once with production defaults into the ApiContext every route receives.
 */

import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { ChangeNotifier } from '../ports/change-notifier.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { CommandBus } from '../ports/command-bus.js';
import type { Store } from '../ports/store.js';
import type { ApiMetrics } from './metrics.js';

export interface ApiOptions {
  /**
   * How often the SSE change feed re-reads everything while a client listens and no change channel
   * pushes (separate processes on SQLite; default 500 ms).
   */
  eventsPollMs?: number;
  /** The same with a change channel: the safety poll for lost notifications (default 5 s). */
  eventsSafetyPollMs?: number;
  /** Comment lines keep idle SSE connections open (default 15 s). */
  keepAliveMs?: number;
  /** Order commands expire this long after they are created (default 60 s). */
  orderCommandTtlMs?: number;
  /** An engine heartbeat older than this is stale (default: 3 poll intervals, at least 30 s). */
  engineStaleMs?: number;
  /** Largest request body accepted (default 16 KiB). */
  bodyLimit?: number;
  /** A cached quote older than this is not used for a draft (default 60 s). */
  quoteMaxAgeMs?: number;
  /** How long a draft waits for the engine to price a symbol it had no fresh quote for (default 2 s). */
  quoteWaitMs?: number;
  /** How often the cache is polled during that wait (default 100 ms). */
  quotePollMs?: number;
}

export interface ApiDeps {
  config: Readonly<Config>;
  store: Store;
  bus: CommandBus;
  /** The change channel (default: none, and the SSE feed polls every `eventsPollMs`). */
  changes?: ChangeNotifier;
  clock?: Clock;
  ids?: IdGenerator;
  log: Logger;
  options?: ApiOptions;
}

export interface ApiContext {
  config: Readonly<Config>;
  store: Store;
  bus: CommandBus;
  /** Where committed changes are announced and heard (the SSE feed; commands the API creates). */
  changes: ChangeNotifier;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  options: Required<ApiOptions>;
  /** The profile this deployment serves. */
  profileId: string;
  metrics: ApiMetrics;
}

export const ORDER_COMMAND_TTL_MS = 60_000;

export function resolveOptions(config: Readonly<Config>, options: ApiOptions = {}): Required<ApiOptions> {
  return {
    eventsPollMs: options.eventsPollMs ?? 500,
    eventsSafetyPollMs: options.eventsSafetyPollMs ?? 5_000,
    keepAliveMs: options.keepAliveMs ?? 15_000,
    orderCommandTtlMs: options.orderCommandTtlMs ?? ORDER_COMMAND_TTL_MS,
    engineStaleMs: options.engineStaleMs ?? Math.max(30_000, 3_000 * config.engine.pollIntervalSeconds),
    bodyLimit: options.bodyLimit ?? 16_384,
    quoteMaxAgeMs: options.quoteMaxAgeMs ?? 60_000,
    quoteWaitMs: options.quoteWaitMs ?? 2_000,
    quotePollMs: Math.max(1, options.quotePollMs ?? 100),
  };
}
