import { describe, expect, it } from 'vitest';
import { FakeClock } from '../adapters/system/fake-clock.js';
import { type SyncKind, SyncScheduler } from './sync.js';

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function rig(opts: { fail?: (kind: SyncKind) => boolean } = {}) {
  const clock = new FakeClock('2026-08-03T13:30:00.000Z');
  const t0 = clock.now().getTime();
  const runs: { kind: SyncKind; at: number }[] = [];
  const errors: SyncKind[] = [];
  const scheduler = new SyncScheduler({
    clock,
    minIntervalMs: 3000,
    pollIntervalMs: 10_000,
    run: async (kind) => {
      runs.push({ kind, at: clock.now().getTime() - t0 });
      if (opts.fail?.(kind)) throw new Error('boom');
    },
    onError: (_e, kind) => errors.push(kind),
  });
  const advance = async (ms: number) => {
    for (let i = 0; i < ms / 100; i++) {
      await clock.advance(100);
      await settle();
    }
  };
  return { clock, scheduler, runs, errors, advance };
}

describe('SyncScheduler (real values: 3 s throttle, 10 s poll)', () => {
  it('runs a full reconciliation every poll interval when nothing happens', async () => {
    const r = rig();
    r.scheduler.start();
    await r.advance(30_000);
    expect(r.runs).toEqual([
      { kind: 'full', at: 10_000 },
      { kind: 'full', at: 20_000 },
      { kind: 'full', at: 30_000 },
    ]);
  });

  it('coalesces a storm of refresh requests into at most one run per 3 s', async () => {
    const r = rig();
    r.scheduler.start();
    for (let ms = 0; ms < 60_000; ms += 100) {
      for (let k = 0; k < 17; k++) r.scheduler.requestRefresh(); // ~10,000 events a minute
      await r.advance(100);
    }
    const gaps = r.runs.slice(1).map((run, i) => run.at - (r.runs[i]?.at ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(3000);
    expect(r.runs.length).toBeLessThanOrEqual(20);
    expect(r.runs.filter((x) => x.kind === 'full').length).toBeGreaterThanOrEqual(5);
    // light refreshes that would land within 6 s of a due reconciliation wait for it
    expect(r.runs.slice(0, 4)).toEqual([
      { kind: 'light', at: 3000 },
      { kind: 'full', at: 10_000 },
      { kind: 'light', at: 13_000 },
      { kind: 'full', at: 20_000 },
    ]);
    expect(r.runs).toHaveLength(12); // 2 position reads per 10 s cycle
  });

  it('brings a full reconciliation forward on request, still after the throttle window', async () => {
    const r = rig();
    r.scheduler.start();
    await r.advance(4000);
    r.scheduler.requestRefresh();
    await r.advance(100);
    r.scheduler.requestFull();
    await r.advance(4000);
    expect(r.runs).toEqual([
      { kind: 'light', at: 4000 },
      { kind: 'full', at: 7000 },
    ]);
    await r.advance(10_000);
    expect(r.runs.at(-1)).toEqual({ kind: 'full', at: 17_000 }); // the poll clock restarts from it
  });

  it('runs a single request once, after the throttle window', async () => {
    const r = rig();
    r.scheduler.start();
    await r.advance(4000);
    r.scheduler.requestRefresh();
    r.scheduler.requestRefresh();
    await r.advance(100);
    expect(r.runs).toEqual([{ kind: 'light', at: 4000 }]);
    r.scheduler.requestRefresh();
    await r.advance(2800);
    expect(r.runs).toHaveLength(1);
    await r.advance(200);
    // 7 s would be 3 s before the reconciliation due at 10 s: the request waits for it
    expect(r.runs).toHaveLength(1);
    await r.advance(3000);
    expect(r.runs).toEqual([
      { kind: 'light', at: 4000 },
      { kind: 'full', at: 10_000 },
    ]);
    r.scheduler.requestRefresh();
    await r.advance(3000);
    expect(r.runs.at(-1)).toEqual({ kind: 'light', at: 13_000 });
  });

  it('retries a failed run with a growing delay capped at the poll interval', async () => {
    const r = rig({ fail: () => true });
    r.scheduler.start();
    await r.advance(40_000);
    const at = r.runs.map((x) => x.at);
    expect(at.slice(0, 4)).toEqual([10_000, 13_000, 19_000, 29_000]);
    expect(r.errors.length).toBe(r.runs.length);
  });

  it('runs forced work after the run in progress and restarts the poll clock', async () => {
    const r = rig();
    r.scheduler.start();
    await r.advance(5000);
    let forced = 0;
    await r.scheduler.runNow(async () => {
      forced++;
    });
    expect(forced).toBe(1);
    await r.advance(10_000);
    expect(r.runs).toEqual([{ kind: 'full', at: 15_000 }]);
    await r.scheduler.stop();
    await r.advance(20_000);
    expect(r.runs).toHaveLength(1);
  });
});
