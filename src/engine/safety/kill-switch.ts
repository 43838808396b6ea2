/**
 * The kill switch: HALTED first (persisted, audited), then, on the 'kill_switch' lane, every open
 * order at the broker cancelled (listed from the broker, so orders placed outside Centaur go too)
 * and every position closed (close-all with cancel_orders), then verified by REST until the broker
 * shows zero positions and zero open orders. What failed is retried: each call a few times with
 * exponential backoff, and the whole act-then-verify round up to `killSwitchMaxRounds` times,
 * waiting between rounds for the close orders to settle (the trade stream updates the ledger; the
 * wait is bounded, so it works with the stream down). It never reports flat before the broker does.
 * Serialised with submissions (submission-gate.ts): the gate closes when the command is claimed,
 * HALTED is made durable, and the run waits for every submission already inside the gate to settle
 * before it lists anything, so it never reports flat while an order it did not see is on its way.
 * One run at a time per engine: a kill switch requested while one runs joins it and gets the same
 * report. `stop()` makes a run give up at its next step without finishing its command, which stays
 * `running` and is resumed by the next engine start.
 */

import { AUDIT_ACTIONS } from '../../contract/audit-actions.js';
import { KILL_SWITCH_SETTLED_STATUSES } from '../../contract/order-status.js';
import { WATERMARKS, writeWatermark } from '../../contract/watermarks.js';
import { backoffDelay } from '../../core/backoff.js';
import type { Command } from '../../core/command.js';
import { dec, str, ZERO } from '../../core/decimal.js';
import type { Order } from '../../core/order.js';
import { changedWithin } from '../change-signal.js';
import {
  EngineStoppingError,
  type KillSwitchDeps,
  type KillSwitchReport,
  LANE,
  Run,
  type SymbolReport,
} from './kill-switch-run.js';

export {
  EngineStoppingError,
  type KillSwitchDeps,
  type KillSwitchReport,
  type SymbolReport,
} from './kill-switch-run.js';

/** The settle wait's first look at the ledger, and its poll period without a change signal. */
const SETTLE_MIN_WAIT_MS = 20;
const POLL_MS = 25;

/** The wait between rounds doubles from `killSwitchBaseDelayMs` up to this cap (no jitter). */
const ROUND_WAIT_CAP_MS = 2_000;

export class KillSwitchRunner {
  #current: Promise<KillSwitchReport> | null = null;
  #stopping = false;
  #wakeOnStop: () => void = () => {};
  /** Resolves when stop() is called: a settle wait ends at once. */
  readonly #stopped = new Promise<void>((resolve) => {
    this.#wakeOnStop = resolve;
  });

  constructor(private readonly d: KillSwitchDeps) {}

  get running(): boolean {
    return this.#current !== null;
  }

  /**
   * Runs the kill switch for `command`, or joins the one already running. The submission gate is
   * closed synchronously, before this returns, so a submission handled right after cannot start.
   */
  run(command: Command): Promise<KillSwitchReport> {
    this.d.states.gate.close(`kill switch ${command.id}`);
    if (this.#current) return this.#current;
    const p = this.#execute(command).finally(() => {
      this.#current = null;
    });
    this.#current = p;
    return p;
  }

  /** Makes a running kill switch give up at its next step (its command stays running). */
  stop(): Promise<unknown> {
    this.#stopping = true;
    this.#wakeOnStop();
    return this.#current?.catch(() => {}) ?? Promise.resolve();
  }

  async #execute(command: Command): Promise<KillSwitchReport> {
    const reason = typeof command.payload.reason === 'string' ? command.payload.reason : 'kill switch';
    const run = new Run(this.d, command, reason, () => this.#stopping);
    const resumed = command.attempts > 1;
    await run.audit(AUDIT_ACTIONS.killSwitchStarted, { commandId: command.id, resumed }, reason);
    void this.d.notify({
      kind: 'kill_switch_started',
      title: resumed ? 'Kill switch resumed' : 'Kill switch started',
      message: `${reason}: trading HALTED; cancelling every order and closing every position`,
      data: { commandId: command.id, resumed },
    });
    await this.d.states.set('HALTED', {
      actor: command.actor,
      reason: `kill switch: ${reason}`,
      correlationId: command.correlationId,
      data: { commandId: command.id },
    });
    // HALTED is durable and the gate closed: every submission that entered before has to settle
    // (its order stored, so the broker already shows it) before the first listing.
    const inFlight = this.d.states.gate.inFlight;
    await this.d.states.gate.drained();
    if (inFlight > 0) await run.audit(AUDIT_ACTIONS.killSwitchSubmissionsSettled, { submissions: inFlight });
    const flat = await this.#flatten(run);
    const suspended = flat && this.d.options.suspendBroker ? await this.#suspend(run) : false;
    const report = this.#report(run, flat, suspended, reason);
    await run.audit(
      AUDIT_ACTIONS.killSwitchFinished,
      { ...report },
      flat ? reason : 'the broker is not flat',
    );
    void this.d.notify({
      kind: 'kill_switch_finished',
      title: flat ? 'Kill switch finished: flat' : 'Kill switch FAILED: not flat',
      message: `${report.symbols.length} symbols, ${report.attempts} rounds, ${report.rest_calls} broker calls, ${report.duration_ms} ms`,
      data: { commandId: command.id, flat, failed: report.symbols.filter((s) => s.status === 'failed') },
    });
    return report;
  }

  /** Act-then-verify rounds until the broker is flat (true) or the bound is reached (false). */
  async #flatten(run: Run): Promise<boolean> {
    const { broker, options } = this.d;
    for (;;) {
      const [orders, positions] = await Promise.all([
        run.call('list open orders', () => broker.listOrders({ status: 'open', limit: 500 }, LANE)),
        run.call('list positions', () => broker.listPositions(LANE)),
      ]);
      if (orders.ok && positions.ok) {
        for (const p of positions.value) {
          const s = run.sym(p.symbol);
          if (dec(p.qty).abs().gt(s.startQty)) s.startQty = dec(p.qty).abs();
        }
        for (const o of orders.value) run.sym(o.symbol);
        run.left = new Map(orders.value.map((o) => [o.symbol, ZERO]));
        for (const p of positions.value) run.left.set(p.symbol, dec(p.qty).abs());
        if (orders.value.length === 0 && positions.value.length === 0) return true;
      }
      if (run.rounds >= options.killSwitchMaxRounds) return false;
      run.rounds++;
      if (run.rounds > 1) {
        await run.audit(AUDIT_ACTIONS.killSwitchRetry, {
          round: run.rounds,
          openOrders: orders.ok ? orders.value.length : null,
          positions: positions.ok ? positions.value.length : null,
          error: orders.ok ? (positions.ok ? null : positions.error) : orders.error,
        });
      }
      if (orders.ok && positions.ok)
        await this.#act(
          run,
          orders.value,
          positions.value.map((p) => p.symbol),
        );
      await this.#settle(
        run,
        backoffDelay({
          attempt: run.rounds - 1,
          baseMs: options.killSwitchBaseDelayMs,
          capMs: ROUND_WAIT_CAP_MS,
          jitter: 'none',
        }),
      );
    }
  }

  async #act(run: Run, orders: Order[], positionSymbols: string[]): Promise<void> {
    const { broker } = this.d;
    const foreign = orders.filter((o) => !run.closeIds.has(o.id));
    const closing = new Set(orders.filter((o) => run.closeIds.has(o.id)).map((o) => o.symbol));
    const uncovered = positionSymbols.filter((s) => !closing.has(s));
    if (foreign.length > 0) {
      const r = await run.call('cancel all orders', () => broker.cancelAllOrders(LANE));
      const bySymbol = new Map(orders.map((o) => [o.id, o.symbol]));
      let cancelled = 0;
      const failed: string[] = [];
      if (r.ok) {
        for (const c of r.value) {
          const symbol = bySymbol.get(c.orderId);
          if (c.ok && symbol) {
            run.sym(symbol).cancelled++;
            cancelled++;
          } else if (!c.ok && symbol) {
            run.sym(symbol).error = c.error ?? 'cancel failed';
            failed.push(symbol);
          }
        }
      }
      await run.audit(AUDIT_ACTIONS.killSwitchOrdersCancelled, {
        requested: foreign.length,
        cancelled,
        failed,
        error: r.ok ? null : r.error,
      });
    }
    if (uncovered.length === 0) return;
    const closed: string[] = [];
    const failed: Array<{ symbol: string; error: string }> = [];
    if (closing.size === 0) {
      const r = await run.call('close all positions', () => broker.closeAllPositions(true, LANE));
      if (r.ok) {
        for (const c of r.value) {
          if (c.ok && c.order) {
            run.closeIds.add(c.order.id);
            closed.push(c.symbol);
          } else failed.push({ symbol: c.symbol, error: c.error ?? 'close failed' });
        }
      } else for (const s of uncovered) failed.push({ symbol: s, error: r.error });
    } else {
      await Promise.all(
        uncovered.map(async (symbol) => {
          const r = await run.call(`close ${symbol}`, () => broker.closePosition(symbol, undefined, LANE));
          if (r.ok) {
            run.closeIds.add(r.value.id);
            closed.push(symbol);
          } else failed.push({ symbol, error: r.error });
        }),
      );
    }
    for (const f of failed) run.sym(f.symbol).error = f.error;
    for (const s of closed) run.sym(s).error = null;
    await run.audit(AUDIT_ACTIONS.killSwitchPositionsClosed, {
      requested: uncovered.length,
      closed: closed.length,
      failed,
    });
  }

  /**
   * Waits until the close orders are final in the ledger (stream) or `maxMs` passed. Woken by the
   * engine's order changes (change-signal.ts): the ledger is read again only when an order changed.
   * Without a change signal (a runner built on its own) it reads every POLL_MS instead.
   */
  async #settle(run: Run, maxMs: number): Promise<void> {
    const { clock, store, profileId, changes } = this.d;
    const deadline = clock.now().getTime() + maxMs;
    await clock.sleep(Math.min(maxMs, SETTLE_MIN_WAIT_MS));
    while (clock.now().getTime() < deadline) {
      if (this.#stopping) throw new EngineStoppingError();
      // Subscribed before the read, so an order committed during it still wakes the wait.
      const wait = changes?.next(['orders']);
      const pending = await Promise.all(
        [...run.closeIds].map(async (id) => {
          const o = await store.orders.get(profileId, id);
          return o === null || !KILL_SWITCH_SETTLED_STATUSES.has(o.status);
        }),
      );
      const left = Math.max(1, deadline - clock.now().getTime());
      if (run.closeIds.size > 0 && !pending.some(Boolean)) {
        wait?.cancel();
        return;
      }
      if (wait === undefined) await clock.sleep(Math.min(POLL_MS, left));
      else
        await changedWithin(
          { changed: Promise.race([wait.changed, this.#stopped]), cancel: wait.cancel },
          left,
          clock,
        );
    }
  }

  async #suspend(run: Run): Promise<boolean> {
    const r = await run.call('suspend trading', () => this.d.broker.setTradeSuspended(true, LANE));
    if (r.ok)
      await writeWatermark(this.d.store.watermarks, this.d.profileId, WATERMARKS.killSwitchSuspended, 'true');
    return r.ok;
  }

  #report(run: Run, flat: boolean, suspended: boolean, reason: string): KillSwitchReport {
    const symbols = [...run.symbols.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([symbol, s]): SymbolReport => {
        const left = flat ? undefined : run.left.get(symbol);
        const closedQty = s.startQty.minus(left ?? ZERO);
        const base = {
          symbol,
          cancelled_orders: s.cancelled,
          closed_qty: str(closedQty.isNeg() ? ZERO : closedQty),
        };
        if (left === undefined) return { ...base, status: 'closed' };
        return {
          ...base,
          status: 'failed',
          error: s.error ?? 'the broker still shows an order or a position',
        };
      });
    return {
      flat,
      symbols,
      attempts: run.rounds,
      rest_calls: run.calls,
      retries: run.retries,
      duration_ms: this.d.clock.now().getTime() - run.started,
      suspended,
      reason,
    };
  }
}
