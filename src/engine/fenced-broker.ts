/**
 * Every broker write made under the profile lease. Before each write (submit, cancel, cancel all,
 * close, close all, account configuration) the engine proves it still holds the lease: first on
 * its own monotonic clock (a paused process finds out at once), then by the store, in one read
 * that also returns the durable trading state (`leases.guard`), then on the monotonic clock again
 * right before the call. A stale fence throws (LeaseLostError or StaleFenceError) and nothing is
 * sent. A submission is also refused when the durable state forbids it, whatever the engine
 * believed when the command started: HALTED refuses everything, REDUCING everything but an exit.
 * Reads pass through unchanged.
 *
 * What remains is a pause that lands between the last check and the request leaving the socket
 * (microseconds of synchronous code) and lasts past the lease: no client-side scheme can close that
 * window against a broker that does not check fencing tokens. docs/decisions/0006 says so.
 */
import type { TradingState } from '../core/trading-state.js';
import type { Broker, RequestOptions } from '../ports/broker.js';
import type { Fence, Store } from '../ports/store.js';

/** A submission the durable trading state refuses (code from core's denial catalogue). */
export class WriteRefusedError extends Error {
  constructor(
    readonly code: 'TRADING_HALTED' | 'TRADING_REDUCING',
    message: string,
  ) {
    super(message);
    this.name = 'WriteRefusedError';
  }
}

export interface WriteGuardDeps {
  store: Store;
  profileId: string;
  /** The current fence; throws when the lease is not held. */
  fence(): Fence;
  /** Throws when the lease is no longer believed held (monotonic clock). */
  assertHeld(): void;
}

/** Proves the lease before a write; returns the durable trading state. */
export async function guardWrite(d: WriteGuardDeps): Promise<TradingState> {
  const state = await d.store.leases.guard(d.profileId, d.fence());
  d.assertHeld();
  return state;
}

function assertSubmittable(state: TradingState, opts: RequestOptions | undefined): void {
  if (state === 'HALTED') {
    throw new WriteRefusedError(
      'TRADING_HALTED',
      'trading is HALTED (durable state at submit time): nothing is sent',
    );
  }
  if (state === 'REDUCING' && opts?.lane !== 'exit') {
    throw new WriteRefusedError(
      'TRADING_REDUCING',
      'trading is REDUCING (durable state at submit time): only exits are sent',
    );
  }
}

/** Calls that only read: they pass through. Anything else is a write and is fenced (fail-closed). */
const READS: ReadonlySet<string> = new Set([
  'getAccount',
  'listPositions',
  'listOrders',
  'getOrder',
  'getOrderByClientOrderId',
  'listFillActivities',
  'getClock',
  'getAsset',
  'getQuotes',
  'getPortfolioHistory',
] satisfies Array<keyof Broker>);

/** The broker with every write fenced (see the module comment). */
export function fencedBroker(broker: Broker, d: WriteGuardDeps): Broker {
  return new Proxy(broker, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || READS.has(property)) return value;
      const method = value as (...a: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        const state = await guardWrite(d);
        if (property === 'submitOrder') assertSubmittable(state, args[1] as RequestOptions | undefined);
        return method.apply(target, args);
      };
    },
  });
}
