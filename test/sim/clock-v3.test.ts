// GET /v3/clock through the SDK's ClockApi.clock: one clock per market, phases of the session
// calendar with phase_until, and the optional `time` parameter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../src/sim/server.js';
import { sdkFor } from './sdk.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ rateLimit: 0, clock: 'calendar', startTime: '2026-08-03T08:00:00-04:00' });
});

afterAll(async () => {
  await sim.stop();
});

describe('GET /v3/clock', () => {
  it('reports the pre-market phase and when it ends', async () => {
    const { clocks } = await sdkFor(sim).clock.clock({});
    expect(clocks).toHaveLength(1);
    const [nyse] = clocks;
    expect(nyse?.market).toMatchObject({ acronym: 'NYSE', timezone: 'America/New_York' });
    expect(nyse).toMatchObject({ phase: 'pre', isMarketDay: true });
    expect(nyse?.phaseUntil.toISOString()).toBe('2026-08-03T13:30:00.000Z');
    expect(nyse?.nextMarketOpen.toISOString()).toBe('2026-08-03T13:30:00.000Z');
  });

  it('answers for several markets at a given time, and on a weekend', async () => {
    const api = sdkFor(sim).clock;
    const core = await api.clock({ markets: 'NYSE,NASDAQ', time: new Date('2026-08-03T15:00:00Z') });
    expect(core.clocks.map((c) => [c.market.acronym, c.phase])).toEqual([
      ['NYSE', 'core'],
      ['NASDAQ', 'core'],
    ]);
    expect(core.clocks[0]?.phaseUntil.toISOString()).toBe('2026-08-03T20:00:00.000Z');
    const saturday = await api.clock({ time: new Date('2026-08-08T15:00:00Z') });
    expect(saturday.clocks[0]).toMatchObject({ phase: 'closed', isMarketDay: false });
    // Closed until the overnight session opens on Sunday at 20:00 ET.
    expect(saturday.clocks[0]?.phaseUntil.toISOString()).toBe('2026-08-10T00:00:00.000Z');
    await expect(api.clock({ markets: 'LSE' })).rejects.toMatchObject({ status: 422 });
  });
});
