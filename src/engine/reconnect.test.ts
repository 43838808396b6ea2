import { describe, expect, it } from 'vitest';
import { FakeClock } from '../adapters/system/fake-clock.js';
import type { TradeStream, TradeStreamHandlers } from '../ports/broker.js';
import { EngineStatus } from './engine-status.js';
import { StreamSupervisor } from './reconnect.js';

/** A scripted stream: each connect() takes the next outcome. */
class FakeStream implements TradeStream {
  handlers: TradeStreamHandlers | null = null;
  connects: number[] = [];
  outcomes: ('ok' | 'fail')[] = [];
  constructor(private readonly clock: FakeClock) {}
  async connect(handlers: TradeStreamHandlers): Promise<void> {
    this.connects.push(this.clock.now().getTime());
    this.handlers = handlers;
    if ((this.outcomes.shift() ?? 'ok') === 'fail') {
      handlers.onState('disconnected', 'refused');
      throw new Error('refused');
    }
    handlers.onState('listening');
  }
  async close(): Promise<void> {}
  drop(): void {
    this.handlers?.onState('disconnected', 'dropped');
  }
}

async function settle() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

function setup(recover: () => Promise<void> = async () => {}) {
  const clock = new FakeClock();
  const t0 = clock.now().getTime();
  const stream = new FakeStream(clock);
  const status = new EngineStatus();
  const health: boolean[] = [];
  const sup = new StreamSupervisor({
    stream,
    clock,
    status,
    maxBackoffMs: 30_000,
    baseBackoffMs: 500,
    random: () => 1,
    onUpdate: async () => {},
    recover,
    onHealth: (h) => health.push(h),
    onError: () => {},
  });
  const advance = async (ms: number) => {
    for (let i = 0; i < ms / 50; i++) {
      await clock.advance(50);
      await settle();
    }
  };
  return { clock, t0, stream, status, health, sup, advance };
}

describe('StreamSupervisor', () => {
  it('reports healthy only after the gap recovery finished', async () => {
    let release = () => {};
    const s = setup(() => new Promise<void>((r) => (release = r)));
    s.sup.start();
    await settle();
    expect(s.status.streamState).toBe('recovering');
    expect(s.status.streamHealthy).toBe(false);
    expect(s.status.tradingState(true)).toBe('REDUCING');
    release();
    await settle();
    expect(s.status.streamHealthy).toBe(true);
    expect(s.status.tradingState(true)).toBe('ACTIVE');
    expect(s.health).toEqual([true]);
  });

  it('reconnects with exponential backoff capped at the maximum, and resets after a stable minute', async () => {
    const s = setup();
    s.stream.outcomes = ['fail', 'fail', 'fail', 'fail', 'fail', 'fail', 'fail', 'fail'];
    s.sup.start();
    await s.advance(200_000);
    const gaps = s.stream.connects.slice(1).map((t, i) => t - (s.stream.connects[i] ?? 0));
    expect(gaps.slice(0, 8)).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(s.status.streamHealthy).toBe(true);
    await s.advance(60_000);
    expect(s.sup.backoff.attempts).toBe(0);
    s.stream.drop();
    expect(s.status.streamHealthy).toBe(false);
    expect(s.status.reconnects).toBe(9);
    const before = s.stream.connects.length;
    await s.advance(500);
    expect(s.stream.connects.length).toBe(before + 1);
  });

  it('retries a failed gap recovery on the same connection before reporting healthy', async () => {
    let calls = 0;
    const s = setup(async () => {
      calls++;
      if (calls < 3) throw new Error('REST down');
    });
    s.sup.start();
    await s.advance(5_000);
    expect(calls).toBe(3);
    expect(s.stream.connects).toHaveLength(1);
    expect(s.status.streamHealthy).toBe(true);
    await s.sup.stop();
    expect(s.status.streamState).toBe('stopped');
    s.stream.drop();
    await s.advance(5_000);
    expect(s.stream.connects).toHaveLength(1);
  });
});
