// A Broker that records every call (method and lane) before passing it on, so a test can count
// the REST calls one command made. The engine's background reads all go on the 'read' lane; a
// submit's risk check and the submit itself go on 'entry' (or 'exit' for an order that reduces).
import type { Broker, RequestOptions } from '../../src/ports/broker.js';

export interface BrokerCall {
  method: string;
  lane: string;
  args: readonly unknown[];
}

/** The options argument of each Broker method, by position (the last one for most). */
const OPTIONS_AT: Record<string, number> = {
  closePosition: 2,
  getQuotes: 1,
  getAsset: 1,
  listOrders: 1,
  getOrder: 1,
  getOrderByClientOrderId: 1,
  submitOrder: 1,
  cancelOrder: 1,
  closeAllPositions: 1,
  listFillActivities: 1,
  setTradeSuspended: 1,
  getPortfolioHistory: 1,
};

/** `calls` may be given, to record into a list the caller already holds. */
export function recordingBroker(
  broker: Broker,
  calls: BrokerCall[] = [],
): { broker: Broker; calls: BrokerCall[] } {
  const recorded = new Proxy(broker, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const method = String(property);
        const opts = args[OPTIONS_AT[method] ?? 0] as RequestOptions | undefined;
        calls.push({ method, lane: opts?.lane ?? 'none', args });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { broker: recorded, calls };
}

/** The methods called on the lanes of a submit ('entry', 'exit'), in call order. */
export function orderLaneCalls(calls: readonly BrokerCall[]): string[] {
  return calls.filter((c) => c.lane === 'entry' || c.lane === 'exit').map((c) => c.method);
}
