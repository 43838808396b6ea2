/**
 * The engine's execution-safety part, built once per engine: the trading-state control, the one
 * kill-switch runner, the market-data refresher (also the context's read-only market cache), the
 * daily loss limit (checked after every account sync: HALTED by the engine, notified, and with
 * RISK_FLATTEN_ON_DAILY_LOSS a kill switch run as an engine-originated command), the `fill.recorded` audit events of
 * stream fills (with the originating command's correlation id), and the stream-down notification
 * after NOTIFY_STREAM_DOWN_SECONDS.
 *
 * The loss limit trips once per trading day: the `last_equity` it tripped on is kept (watermark
 * `loss_limit_tripped`), so after a person re-arms with `resume` the same day's loss does not halt
 * again at the next sync; a new day (a new last_equity) arms it again.
 */
import { AUDIT_ACTIONS } from '../../contract/audit-actions.js';
import { parseClientOrderId } from '../../contract/client-order-id.js';
import { readWatermark, WATERMARKS, writeWatermark } from '../../contract/watermarks.js';
import { dec } from '../../core/decimal.js';
import { dailyLossBreached } from '../../core/risk/risk-engine.js';
import type { Logger } from '../../logging/logger.js';
import type { Broker, TradeUpdate } from '../../ports/broker.js';
import type { Clock, IdGenerator } from '../../ports/clock.js';
import type { Delivery } from '../../ports/command-bus.js';
import type { Notifier } from '../../ports/notifier.js';
import type { Fence, Store } from '../../ports/store.js';
import type { Announce } from '../change-announcer.js';
import type { ChangeSignal } from '../change-signal.js';
import { deliveryOf } from '../command-sweep.js';
import type { EngineStatus } from '../engine-status.js';
import { MarketDataRefresher } from '../market-data.js';
import { KillSwitchRunner } from './kill-switch.js';
import { auditWith, notifyWith, type SafetyContext } from './safety-context.js';
import { resolveSafetyOptions, type SafetyOptions } from './safety-options.js';
import { TradingStateControl } from './trading-state-control.js';

export interface EngineSafetyDeps {
  store: Store;
  broker: Broker;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  notifier: Notifier | null;
  status: EngineStatus;
  profileId: string;
  environment: 'paper' | 'live';
  options?: Partial<SafetyOptions>;
  /** The lease fence trading-state changes are made under (absent only in tests without a lease). */
  fence?: () => Fence;
  /** Announces committed changes (trading state, the commands it creates). */
  announce?: Announce;
  /** Every change the engine commits, in process: the kill switch waits on it. */
  changes?: ChangeSignal;
}

type Handle = (delivery: Delivery) => Promise<void>;

export class EngineSafety {
  readonly context: SafetyContext;
  readonly marketData: MarketDataRefresher;
  #streamDownTimer: { cancel(): void } | null = null;

  constructor(private readonly d: EngineSafetyDeps) {
    const options = resolveSafetyOptions(d.options);
    const audit = auditWith(d);
    const notify = notifyWith(d);
    const states = new TradingStateControl(d);
    const killSwitch = new KillSwitchRunner({ ...d, options, states, audit, notify });
    this.marketData = new MarketDataRefresher({
      ...d,
      intervalMs: options.quoteIntervalMs,
      assetRefreshMs: options.assetRefreshMs,
    });
    this.context = { options, states, killSwitch, market: this.marketData, audit, notify };
  }

  /** The daily loss limit, after an account sync. Returns true when it tripped now. */
  async afterAccountSync(handle: Handle): Promise<boolean> {
    const { store, profileId } = this.d;
    const { risk } = this.context.options;
    const account = await store.accounts.latest(profileId);
    if (account === null || !dec(account.lastEquity).gt(0)) return false;
    if (!dailyLossBreached(account.equity, account.lastEquity, risk.maxDailyLoss)) return false;
    const tripped = WATERMARKS.lossLimitTripped;
    if ((await readWatermark(store.watermarks, profileId, tripped)) === account.lastEquity) return false;
    await writeWatermark(store.watermarks, profileId, tripped, account.lastEquity);
    const loss = dec(account.lastEquity).minus(account.equity).toFixed(2);
    const limit =
      risk.maxDailyLoss.kind === 'amount' ? `$${risk.maxDailyLoss.value}` : `${risk.maxDailyLoss.value}%`;
    const reason = `daily loss limit: equity ${account.equity} is ${loss} below last equity ${account.lastEquity} (limit ${limit})`;
    const correlationId = this.d.ids.next();
    await this.context.states.set('HALTED', {
      actor: 'engine',
      reason,
      correlationId,
      data: { loss, limit },
    });
    await this.context.notify({
      kind: 'loss_limit_halted',
      title: 'Trading HALTED: daily loss limit',
      message: reason,
      data: {
        equity: account.equity,
        lastEquity: account.lastEquity,
        loss,
        limit,
        flatten: risk.flattenOnDailyLoss,
      },
    });
    if (risk.flattenOnDailyLoss) await this.#engineKillSwitch(reason, correlationId, handle);
    return true;
  }

  async #engineKillSwitch(reason: string, correlationId: string, handle: Handle): Promise<void> {
    const { store, profileId, clock, ids, environment } = this.d;
    const now = clock.timestamp();
    const { command } = await store.commands.create({
      id: ids.next(),
      profileId,
      type: 'kill_switch',
      payload: { reason, confirm_token: environment.toUpperCase() },
      actor: 'engine',
      idempotencyKey: null,
      correlationId,
      status: 'queued',
      result: null,
      error: null,
      attempts: 0,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
      expiresAt: null,
    });
    this.d.announce?.('commands', [command.id]);
    await handle(deliveryOf(command));
  }

  /** `fill.recorded` for a fill the stream stored, tied to its command's correlation id. */
  async onFill(update: TradeUpdate): Promise<void> {
    const { store, profileId } = this.d;
    const coid = update.order.clientOrderId;
    let correlationId: string | null = null;
    let commandId: string | null = null;
    const origin = parseClientOrderId(coid);
    if (origin?.kind === 'draft') {
      const draft = await store.drafts.get(profileId, origin.id);
      commandId = draft?.commandId ?? null;
    } else if (origin?.kind === 'command') commandId = origin.id;
    if (commandId !== null)
      correlationId = (await store.commands.get(profileId, commandId))?.correlationId ?? null;
    await this.context.audit({
      actor: 'engine',
      action: AUDIT_ACTIONS.fillRecorded,
      reason: null,
      subjectType: 'order',
      subjectId: coid,
      correlationId,
      data: {
        clientOrderId: coid,
        orderId: update.order.id,
        commandId,
        executionId: update.executionId,
        symbol: update.order.symbol,
        side: update.order.side,
        qty: update.qty,
        price: update.price,
      },
    });
  }

  /** Notifies a stream down for longer than NOTIFY_STREAM_DOWN_SECONDS (once per outage). */
  streamHealth(healthy: boolean, detail: string): void {
    if (healthy) {
      this.#streamDownTimer?.cancel();
      this.#streamDownTimer = null;
      return;
    }
    if (this.#streamDownTimer) return;
    const seconds = Math.round(this.context.options.streamDownNotifyMs / 1000);
    this.#streamDownTimer = this.d.clock.setTimeout(() => {
      void this.context.notify({
        kind: 'stream_down',
        title: 'Trade stream down',
        message: `down for more than ${seconds} s (${detail}); entries are gated (REDUCING) until it is back`,
        data: { detail, seconds },
      });
    }, this.context.options.streamDownNotifyMs);
  }

  async stop(): Promise<void> {
    this.#streamDownTimer?.cancel();
    await this.context.killSwitch.stop();
    await this.marketData.stop();
  }
}
