import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { RunningEngine } from '../engine/engine.js';
import { LeaseHeldError, type LeaseLossKind } from '../engine/lease.js';
import { superviseEngine } from './engine-supervisor.js';

const log = pino({ level: 'silent' });

/** A stand-in engine that stops by itself when told, with the given lease loss. */
function fakeEngine() {
  let stopSelf: (reason: string) => void = () => {};
  const engine = {
    leaseLoss: null as LeaseLossKind | null,
    stops: 0,
    stopped: new Promise<string>((r) => {
      stopSelf = r;
    }),
    async stop() {
      engine.stops++;
    },
    lose(kind: LeaseLossKind) {
      engine.leaseLoss = kind;
      stopSelf(`lease ${kind}`);
    },
  };
  return engine;
}

type Fake = ReturnType<typeof fakeEngine>;

describe('engine supervisor', () => {
  it('serves again with a new engine after the lease lapsed, and ends when another engine took it', async () => {
    const started: Fake[] = [];
    let failNext = 1;
    const start = async () => {
      if (started.length === 1 && failNext-- > 0) throw new Error('database still down');
      const e = fakeEngine();
      started.push(e);
      return e as unknown as RunningEngine;
    };
    const supervised = await superviseEngine(start, log, 5);
    expect(supervised.current()).toBe(started[0]);
    started[0]?.lose('lapsed');
    while (started.length < 2) await new Promise((r) => setTimeout(r, 5));
    expect(started[0]?.stops).toBe(1);
    expect(supervised.current()).toBe(started[1]);
    started[1]?.lose('taken');
    expect(await supervised.ended).toEqual({ reason: 'engine stopped: lease taken', leaseHeld: false });
    expect(started).toHaveLength(2);
  });

  it('ends when a restart finds the lease held by another engine', async () => {
    let calls = 0;
    const first = fakeEngine();
    const start = async () => {
      calls++;
      if (calls > 1) throw new LeaseHeldError('p', 'other', '2030-01-01T00:00:00Z');
      return first as unknown as RunningEngine;
    };
    const supervised = await superviseEngine(start, log, 5);
    first.lose('lapsed');
    const ended = await supervised.ended;
    expect(ended.leaseHeld).toBe(true);
    expect(ended.reason).toContain('other');
  });

  it('stops the engine serving now and does not start another', async () => {
    const engines: Fake[] = [];
    const supervised = await superviseEngine(
      async () => {
        const e = fakeEngine();
        engines.push(e);
        return e as unknown as RunningEngine;
      },
      log,
      5,
    );
    await supervised.stop();
    expect(await supervised.ended).toEqual({ reason: 'stopped', leaseHeld: false });
    expect(engines).toHaveLength(1);
    expect(engines[0]?.stops).toBe(1);
  });
});
