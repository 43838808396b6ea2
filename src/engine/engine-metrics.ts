/**
 * The engine's own counters, published in its heartbeat (`detail.metrics`) so the API's
 * /metrics shows them whichever process the engine runs in: broker REST calls and 429s (counted
 * by wrapping the Broker port) and REST sync durations.
 */
import { type Broker, BrokerError } from '../ports/broker.js';

export class EngineMetrics {
  brokerRestCalls = 0;
  brokerRateLimited = 0;
  syncDurationMsSum = 0;
  syncCount = 0;

  /** Times one sync run; failures count too. */
  async timeSync<T>(run: () => Promise<T>, now: () => number = Date.now): Promise<T> {
    const started = now();
    try {
      return await run();
    } finally {
      this.syncDurationMsSum += now() - started;
      this.syncCount += 1;
    }
  }

  snapshot(): Record<string, number> {
    return {
      brokerRestCalls: this.brokerRestCalls,
      brokerRateLimited: this.brokerRateLimited,
      syncDurationMsSum: this.syncDurationMsSum,
      syncCount: this.syncCount,
    };
  }
}

/** The same Broker, counting every call and every rate-limited answer. */
export function countingBroker(broker: Broker, metrics: EngineMetrics): Broker {
  return new Proxy(broker, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        metrics.brokerRestCalls += 1;
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (result instanceof Promise) {
          return result.catch((error: unknown) => {
            if (error instanceof BrokerError && error.code === 'rate_limited') metrics.brokerRateLimited += 1;
            throw error;
          });
        }
        return result;
      };
    },
  });
}
