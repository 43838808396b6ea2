import { describe, expect, it } from 'vitest';
import { type Broker, BrokerError } from '../ports/broker.js';
import { countingBroker, EngineMetrics } from './engine-metrics.js';

describe('engine metrics', () => {
  it('counts broker calls and rate-limited answers', async () => {
    const metrics = new EngineMetrics();
    const fake = {
      getClock: async () => ({ at: 'x', isOpen: true, nextOpen: 'x', nextClose: 'x' }),
      getAccount: async () => {
        throw new BrokerError('rate_limited', 'slow down', { retryAfterMs: 1000 });
      },
    } as unknown as Broker;
    const broker = countingBroker(fake, metrics);
    await broker.getClock();
    await expect(broker.getAccount()).rejects.toThrow('slow down');
    expect(metrics.snapshot()).toMatchObject({ brokerRestCalls: 2, brokerRateLimited: 1 });
  });

  it('times syncs, failed ones included', async () => {
    const metrics = new EngineMetrics();
    let t = 0;
    const now = () => t;
    await metrics.timeSync(async () => {
      t += 40;
    }, now);
    await expect(
      metrics.timeSync(async () => {
        t += 10;
        throw new Error('boom');
      }, now),
    ).rejects.toThrow('boom');
    expect(metrics.snapshot()).toMatchObject({ syncDurationMsSum: 50, syncCount: 2 });
  });
});
