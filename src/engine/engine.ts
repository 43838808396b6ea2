/**
 * The engine process, wired: lease -> heartbeat -> persisted trading state -> portfolio history ->
 * startup reconciliation (retried until it succeeds; no command runs before) -> periodic sync ->
 * trade stream (gap recovered before it is healthy) -> command consumption. `stop()` undoes it in
 * reverse: no new commands, the command in flight finished, the stream closed and its queued
 * events stored, the sync in flight finished, a last heartbeat, the lease released. Every write
 * is one transaction, so stopping at any point leaves nothing half-written.
 */
import { hostname } from 'node:os';
import { Backoff } from '../core/backoff.js';
import type { TradingState } from '../core/trading-state.js';
import type { Logger } from '../logging/logger.js';
import type { Broker, TradeStream, TradeUpdate } from '../ports/broker.js';
import type { ChangeNotifier } from '../ports/change-notifier.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { CommandBus, Consumer } from '../ports/command-bus.js';
import type { Notifier } from '../ports/notifier.js';
import type { Store } from '../ports/store.js';
import { VERSION } from '../version.js';
import { announcerFor } from './change-announcer.js';
import { announceAndSignal, ChangeSignal } from './change-signal.js';
import { CommandSweep } from './command-sweep.js';
import { CommandExecutor } from './commands/executor.js';
import { type CommandRegistry, defaultRegistry } from './commands/registry.js';
import { countingBroker } from './engine-metrics.js';
import { type EngineOptions, type ResolvedEngineOptions, resolveOptions } from './engine-options.js';
import {
  makeCommandContext,
  makeConsumer,
  makeHeartbeat,
  makeLease,
  makeReconciler,
  makeSupervisor,
  type PartsContext,
} from './engine-parts.js';
import { EngineStatus } from './engine-status.js';
import { fencedBroker } from './fenced-broker.js';
import type { HeartbeatPublisher } from './heartbeat.js';
import { importPortfolioHistory } from './history.js';
import type { LeaseKeeper, LeaseLossKind } from './lease.js';
import { StreamLossDetector } from './loss-detector.js';
import { PositionTouches } from './position-sync.js';
import type { Reconciler } from './reconcile.js';
import type { StreamSupervisor } from './reconnect.js';
import { EngineSafety } from './safety/engine-safety.js';
import type { PersistResult, StreamConsumer } from './stream-consumer.js';
import { SyncScheduler } from './sync.js';
import { settlesWithin } from './time-limit.js';

export interface EngineDeps {
  options: EngineOptions;
  store: Store;
  broker: Broker;
  tradeStream: TradeStream;
  bus: CommandBus;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  notifier?: Notifier | null;
  /** Where committed changes are announced (orders, fills, positions, ...); none by default. */
  changes?: ChangeNotifier | null;
  /** Random source of the reconnect jitter (default Math.random). */
  random?: () => number;
  /** Command handlers (default: submit_order and cancel_order). */
  registry?: CommandRegistry;
}

export interface RunningEngine {
  readonly holder: string;
  readonly status: EngineStatus;
  /** Resolves once the startup reconciliation succeeded and commands are consumed. */
  ready(): Promise<void>;
  /** Resolves once the stream is listening and its gap recovered. */
  streamHealthy(): Promise<void>;
  /** The trading state enforced now (REDUCING while the stream is down). */
  tradingState(): TradingState;
  /** Resolves with the reason when the engine stopped by itself (lease lost). */
  readonly stopped: Promise<string>;
  /** How the lease was lost when the engine stopped by itself ('lapsed': it may be taken again). */
  readonly leaseLoss: LeaseLossKind | null;
  stop(): Promise<void>;
}

/** How long the pre-submit check waits for received trade events to be stored before using REST. */
const LEDGER_CATCH_UP_MS = 100;
/** How long a stop waits for background work before it releases the lease anyway. */
const SETTLE_MS = 2_000;
/** How often the database is swept for commands the bus lost, and how old a queued one must be. */
const SWEEP_INTERVAL_MS = 2_000;
const SWEEP_GRACE_MS = 1_000;
const KILL_SWITCHES = new Set(['kill_switch'] as const);
/** The startup reconciliation retries after 1 s, doubling up to the poll interval (no jitter). */
const STARTUP_RETRY_BASE_MS = 1_000;

class Engine implements RunningEngine {
  readonly status = new EngineStatus();
  readonly o: ResolvedEngineOptions;
  readonly parts: PartsContext;
  readonly touches = new PositionTouches();
  readonly detector: StreamLossDetector;
  readonly reconciler: Reconciler;
  readonly lease: LeaseKeeper;
  readonly heartbeat: HeartbeatPublisher;
  readonly scheduler: SyncScheduler;
  readonly consumer: StreamConsumer;
  readonly safety: EngineSafety;
  readonly executor: CommandExecutor;
  readonly sweep: CommandSweep;
  leaseLoss: LeaseLossKind | null = null;
  supervisor: StreamSupervisor | null = null;
  busConsumer: Consumer | null = null;
  #abort = new AbortController();
  #stopping: Promise<void> | null = null;
  #waiters = { ready: [] as (() => void)[], healthy: [] as (() => void)[] };
  #resolveStopped: (reason: string) => void = () => {};
  readonly stopped = new Promise<string>((resolve) => {
    this.#resolveStopped = resolve;
  });
  #startupAt: string | null = null;
  /** Work started without awaiting (startup, fill audit, heartbeat beats): settled before stop ends. */
  readonly #background = new Set<Promise<unknown>>();

  constructor(readonly d: EngineDeps) {
    const holder = d.options.holder ?? `${hostname()}:${process.pid}:${d.ids.next().slice(0, 8)}`;
    this.o = resolveOptions(d.options, holder, d.options.version ?? VERSION);
    // Every broker write proves the lease first (fenced-broker.ts); reads pass through.
    const broker = fencedBroker(countingBroker(d.broker, this.status.metrics), {
      store: d.store,
      profileId: this.o.profileId,
      fence: () => this.lease.fence(),
      assertHeld: () => this.lease.assertHeld(),
    });
    const changes = new ChangeSignal();
    const announce = announceAndSignal(announcerFor(d.changes, this.o.profileId, d.log), changes);
    this.parts = { ...d, broker, o: this.o, status: this.status, announce };
    this.detector = new StreamLossDetector(() => d.clock.now().getTime());
    this.reconciler = makeReconciler(this.parts, this.touches, this.detector);
    this.lease = makeLease(this.parts, (reason, kind) => {
      this.leaseLoss = kind;
      void this.#fatal(reason);
    });
    this.heartbeat = makeHeartbeat(this.parts);
    this.scheduler = new SyncScheduler({
      clock: d.clock,
      minIntervalMs: this.o.syncMinIntervalMs,
      pollIntervalMs: this.o.pollIntervalMs,
      run: (kind) =>
        this.status.metrics.timeSync(() =>
          kind === 'light'
            ? this.reconciler.light()
            : this.#reconcile('periodic', undefined, this.#trusted()),
        ),
      onError: (error, kind) => this.#syncError(error, kind),
    });
    this.consumer = makeConsumer(this.parts, this.reconciler, (u, r) => this.#persisted(u, r));
    this.safety = new EngineSafety({
      ...d,
      broker,
      notifier: d.notifier ?? null,
      status: this.status,
      profileId: this.o.profileId,
      environment: this.o.environment,
      options: this.o.safety,
      fence: () => this.lease.fence(),
      announce,
      changes,
    });
    this.executor = this.#makeExecutor();
    this.sweep = new CommandSweep({
      ...d,
      profileId: this.o.profileId,
      intervalMs: SWEEP_INTERVAL_MS,
      graceMs: SWEEP_GRACE_MS,
      handle: (delivery) => this.executor.handle(delivery),
      claimedHere: (id) => this.executor.claimedHere(id),
    });
  }

  get holder(): string {
    return this.o.holder;
  }

  tradingState(): TradingState {
    return this.status.tradingState(this.o.enableTradingWs);
  }

  async start(): Promise<void> {
    await this.lease.acquire();
    this.d.log.info({ holder: this.o.holder, profileId: this.o.profileId }, 'profile lease taken');
    this.heartbeat.start();
    try {
      const persisted = await this.d.store.tradingState.get(this.o.profileId);
      this.status.persistedTradingState = persisted?.state ?? 'ACTIVE';
      if (persisted?.state === 'HALTED') this.safety.context.states.gate.close(persisted.reason);
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.#track(this.#boot());
  }

  /** Waits for the background work, at most SETTLE_MS. */
  async #settle(): Promise<void> {
    await settlesWithin(this.d.clock, Promise.all(this.#background), SETTLE_MS);
  }

  #track(work: Promise<unknown>): void {
    const settled = work.catch((error) => this.d.log.warn({ err: error }, 'background work failed'));
    this.#background.add(settled);
    void settled.finally(() => this.#background.delete(settled));
  }

  async #boot(): Promise<void> {
    if (this.o.importHistory) await this.#importHistory();
    if (!(await this.#startupReconcile()) || this.#abort.signal.aborted) return;
    this.safety.marketData.start();
    // Kill switches first: queued ones the bus lost, running ones a former holder left.
    await this.sweep.sweep(KILL_SWITCHES);
    this.scheduler.start();
    if (this.o.enableTradingWs) this.#startStream();
    else this.status.streamState = 'disabled';
    await this.#waitHealthy(this.o.streamWaitMs);
    if (this.#abort.signal.aborted) return;
    this.busConsumer = this.d.bus.consume(this.o.profileId, this.o.holder, (delivery) =>
      this.executor.handle(delivery),
    );
    this.sweep.start();
    this.#track(this.sweep.sweep());
    this.status.ready = true;
    this.status.reason = null;
    this.d.log.info('engine ready: consuming commands');
    for (const w of this.#waiters.ready.splice(0)) w();
  }

  async #importHistory(): Promise<void> {
    try {
      const n = await importPortfolioHistory(this.d.store, this.d.broker, this.o.profileId);
      this.d.log.info({ points: n }, 'portfolio history imported');
    } catch (error) {
      this.d.log.warn({ err: error }, 'portfolio history import failed; the P&L curve starts now');
    }
  }

  /** Retries the startup reconciliation until it succeeds (true) or the engine stops (false). */
  async #startupReconcile(): Promise<boolean> {
    const backoff = new Backoff({
      baseMs: STARTUP_RETRY_BASE_MS,
      capMs: Math.max(STARTUP_RETRY_BASE_MS, this.o.pollIntervalMs),
      jitter: 'none',
    });
    while (!this.#abort.signal.aborted) {
      try {
        this.#startupAt = this.d.clock.timestamp();
        await this.scheduler.runNow(() => this.#reconcile('startup', 'watermark'));
        return true;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.status.reason = `startup reconciliation failed, commands not accepted: ${message}`;
        this.status.lastError = message;
        this.d.log.error(
          { err: error },
          'startup reconciliation failed; retrying, commands are not accepted',
        );
        await this.d.clock.sleep(backoff.next(), this.#abort.signal);
      }
    }
    return false;
  }

  /** A healthy stream is checked, not re-read (a reconnect's gap recovery already ran deep). */
  #trusted(): 'verify' | 'deep' {
    return this.o.enableTradingWs && this.status.streamHealthy ? 'verify' : 'deep';
  }

  async #reconcile(reason: string, fillsSince?: string, mode: 'verify' | 'deep' = 'deep'): Promise<void> {
    const report = await this.reconciler.full({ reason, mode, ...(fillsSince ? { fillsSince } : {}) });
    this.status.lastError = null;
    await this.safety.afterAccountSync((delivery) => this.executor.handle(delivery));
    const repaired = report.fillsInserted + report.positionsCorrected + report.evidence;
    this.d.log[repaired > 0 ? 'info' : 'debug']({ reason, ...report }, 'reconciliation done');
  }

  #startStream(): void {
    this.supervisor = makeSupervisor(this.parts, this.d.tradeStream, this.d.random, {
      onUpdate: (update) => this.consumer.accept(update),
      recover: () =>
        this.scheduler.runNow(() =>
          this.#reconcile('gap_recovery', this.status.lastEventAt ?? this.#startupAt ?? undefined),
        ),
      onHealth: (healthy, detail) => this.#health(healthy, detail),
    });
    this.supervisor.start();
  }

  #health(healthy: boolean, detail: string): void {
    this.d.log[healthy ? 'info' : 'warn'](
      { detail, tradingState: this.tradingState() },
      healthy ? 'trade stream healthy' : 'trade stream down: trading state REDUCING',
    );
    this.#track(this.heartbeat.beat());
    if (healthy) for (const w of this.#waiters.healthy.splice(0)) w();
    else this.detector.reset();
    this.safety.streamHealth(healthy, detail);
  }

  #persisted(update: TradeUpdate, result: PersistResult): void {
    if (result.positionApplied) this.touches.touch(update.order.symbol);
    // A fill chain that does not add up: reconcile now rather than at the next poll.
    if (this.detector.observe(update, result.fillInserted)) this.scheduler.requestFull();
    if (result.fillInserted) this.#track(this.safety.onFill(update));
    this.scheduler.requestRefresh();
  }

  #syncError(error: unknown, kind: string): void {
    this.status.lastError = error instanceof Error ? error.message : String(error);
    this.d.log.warn({ err: error, kind }, 'sync failed; will retry');
  }

  #makeExecutor(): CommandExecutor {
    const ctx = makeCommandContext(this.parts, {
      notifier: this.d.notifier ?? null,
      tradingState: () => this.tradingState(),
      lossSuspected: () => this.reconciler.lossSuspected,
      caughtUp: () => this.consumer.caughtUp(LEDGER_CATCH_UP_MS),
      fence: () => this.lease.fence(),
    });
    return new CommandExecutor({ ...ctx, safety: this.safety.context }, this.d.registry ?? defaultRegistry());
  }

  async #waitHealthy(timeoutMs: number): Promise<void> {
    if (!this.o.enableTradingWs || this.status.streamHealthy) return;
    await Promise.race([this.streamHealthy(), this.d.clock.sleep(timeoutMs, this.#abort.signal)]);
  }

  ready(): Promise<void> {
    return this.status.ready
      ? Promise.resolve()
      : new Promise((resolve) => this.#waiters.ready.push(resolve));
  }

  streamHealthy(): Promise<void> {
    return this.status.streamHealthy
      ? Promise.resolve()
      : new Promise((resolve) => this.#waiters.healthy.push(resolve));
  }

  async #fatal(reason: string): Promise<void> {
    this.d.log.error({ reason }, 'engine stopping');
    this.#resolveStopped(reason);
    await this.stop();
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  async #shutdown(): Promise<void> {
    this.#abort.abort();
    this.status.ready = false;
    this.status.reason = 'stopping';
    const step = async (what: string, fn: () => Promise<void> | void) => {
      try {
        await fn();
      } catch (error) {
        this.d.log.warn({ err: error }, `shutdown: ${what} failed`);
      }
    };
    await step('command sweep', () => this.sweep.stop());
    await step('kill switch and market data', () => this.safety.stop());
    await step('command consumer', () => this.busConsumer?.stop());
    // A command in flight settles (at most SETTLE_MS) before the lease goes: nothing it writes
    // comes after the stop. One still stuck then is left running for the next engine, whose fence
    // refuses its late writes to commands and the trading state.
    await step('commands in flight', async () => {
      if (!(await settlesWithin(this.d.clock, this.executor.inFlight(), SETTLE_MS))) {
        this.d.log.warn('a command was still in flight at shutdown; the next engine resumes it');
      }
    });
    await step('trade stream', () => this.supervisor?.stop());
    await step('stream events', () => this.consumer.drain());
    await step('sync', () => this.scheduler.stop());
    // Startup steps, fill audits and beats still running must not write after the store closes.
    await step('background work', () => this.#settle());
    this.heartbeat.stop();
    // A former holder says nothing more: the heartbeat row is the new holder's now.
    if (this.leaseLoss === null) await step('last heartbeat', () => this.heartbeat.beat('stopped'));
    await step('lease release', () => this.lease.release());
    this.#resolveStopped('stopped');
    this.d.log.info('engine stopped; lease released');
  }
}

/** Starts the engine: throws LeaseHeldError when another engine serves the profile. */
export async function startEngine(deps: EngineDeps): Promise<RunningEngine> {
  const engine = new Engine(deps);
  await engine.start();
  return engine;
}
