/**
 * Builders for the engine's long-lived parts (lease keeper, heartbeat, stream supervisor, stream
 * consumer, reconciler, command context) from the resolved options and the injected dependencies, so
 * engine.ts holds only the lifecycle.
 */
import type { TradingState } from '../core/trading-state.js';
import type { Logger } from '../logging/logger.js';
import type { Broker, TradeStream, TradeUpdate } from '../ports/broker.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { Notifier } from '../ports/notifier.js';
import type { Fence, Store } from '../ports/store.js';
import type { Announce } from './change-announcer.js';
import type { CommandContext } from './commands/command-context.js';
import type { ResolvedEngineOptions } from './engine-options.js';
import type { EngineStatus } from './engine-status.js';
import { HeartbeatPublisher } from './heartbeat.js';
import { LeaseKeeper, type LeaseLossKind } from './lease.js';
import type { StreamLossDetector } from './loss-detector.js';
import type { PositionTouches } from './position-sync.js';
import { Reconciler } from './reconcile.js';
import { StreamSupervisor, type StreamSupervisorOptions } from './reconnect.js';
import { type PersistResult, StreamConsumer } from './stream-consumer.js';

export interface PartsContext {
  o: ResolvedEngineOptions;
  store: Store;
  broker: Broker;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  status: EngineStatus;
  /** Announces committed changes on the change channel (never throws). */
  announce: Announce;
}

export function makeReconciler(
  c: PartsContext,
  touches: PositionTouches,
  detector: StreamLossDetector,
): Reconciler {
  return new Reconciler({
    store: c.store,
    broker: c.broker,
    clock: c.clock,
    ids: c.ids,
    profileId: c.o.profileId,
    status: c.status,
    touches,
    detector,
    marginMs: c.o.marginMs,
    firstRunLookbackMs: c.o.firstRunLookbackMs,
    announce: c.announce,
  });
}

export function makeLease(
  c: PartsContext,
  onLost: (reason: string, kind: LeaseLossKind) => void,
): LeaseKeeper {
  return new LeaseKeeper({
    leases: c.store.leases,
    clock: c.clock,
    profileId: c.o.profileId,
    holder: c.o.holder,
    ttlMs: c.o.leaseTtlMs,
    renewMs: c.o.leaseRenewMs,
    onLost,
    onError: (error) => c.log.warn({ err: error }, 'lease renewal failed; retrying'),
  });
}

export function makeHeartbeat(c: PartsContext): HeartbeatPublisher {
  return new HeartbeatPublisher({
    heartbeats: c.store.heartbeats,
    now: () => c.store.now(),
    clock: c.clock,
    status: c.status,
    profileId: c.o.profileId,
    environment: c.o.environment,
    holder: c.o.holder,
    version: c.o.version,
    intervalMs: c.o.heartbeatMs,
    streamRequired: c.o.enableTradingWs,
    onError: (error) => c.log.warn({ err: error }, 'heartbeat write failed'),
    announce: c.announce,
  });
}

export function makeSupervisor(
  c: PartsContext,
  stream: TradeStream,
  random: (() => number) | undefined,
  hooks: Pick<StreamSupervisorOptions, 'onUpdate' | 'recover' | 'onHealth'>,
): StreamSupervisor {
  return new StreamSupervisor({
    stream,
    clock: c.clock,
    status: c.status,
    maxBackoffMs: c.o.maxBackoffMs,
    baseBackoffMs: c.o.baseBackoffMs,
    stableMs: c.o.stableMs,
    ...(random ? { random } : {}),
    ...hooks,
    onError: (error, what) => c.log.warn({ err: error }, `${what} failed`),
  });
}

export function makeConsumer(
  c: PartsContext,
  reconciler: Reconciler,
  onPersisted: (update: TradeUpdate, result: PersistResult) => void,
): StreamConsumer {
  return new StreamConsumer({
    store: c.store,
    profileId: c.o.profileId,
    clock: c.clock,
    status: c.status,
    positionsConfirmedAt: () => reconciler.positionsConfirmedAt,
    onPersisted,
    announce: c.announce,
    onError: (error, update) =>
      c.log.error({ err: error, orderId: update.order.id, event: update.event }, 'trade update not stored'),
  });
}

export interface CommandContextHooks {
  notifier: Notifier | null;
  /** The trading state the engine enforces now. */
  tradingState: () => TradingState;
  /** A lost event is known and not repaired yet: the ledger may be behind. */
  lossSuspected: () => boolean;
  /** Every trade event received is stored (false if that takes longer than a moment). */
  caughtUp: () => Promise<boolean>;
  /** The lease fence of command state changes. */
  fence: () => Fence;
}

export function makeCommandContext(c: PartsContext, hooks: CommandContextHooks): CommandContext {
  return {
    profileId: c.o.profileId,
    environment: c.o.environment,
    store: c.store,
    broker: c.broker,
    clock: c.clock,
    log: c.log,
    notifier: hooks.notifier,
    tradingState: hooks.tradingState,
    // Only a stream that is on and healthy keeps the ledger current (disabled: never healthy),
    // and not while it is known to have lost an event the reconciliation has not repaired yet.
    ledgerTrusted: () => c.o.enableTradingWs && c.status.streamHealthy && !hooks.lossSuspected(),
    ledgerCaughtUp: hooks.caughtUp,
    fence: hooks.fence,
    announce: c.announce,
  };
}
