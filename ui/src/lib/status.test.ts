import { describe, expect, it } from 'vitest';
import type { EngineInfo } from '../api/types';
import { bannerWarnings, engineConnection, streamHealthy } from './status';

const now = Date.parse('2026-01-01T00:01:00Z');
function engine(at: string, stream = 'listening'): EngineInfo {
  return {
    environment: 'paper',
    holder: 'h',
    version: 'v',
    heartbeat_age_ms: 0,
    stream_state: stream,
    heartbeat_at: at,
    last_event_at: null,
    last_sync_at: null,
    lag_ms: null,
  };
}

describe('header status', () => {
  it('calls the engine connected under 30 s of heartbeat age and stale beyond', () => {
    expect(engineConnection(engine('2026-01-01T00:00:45Z'), now)).toBe('connected');
    expect(engineConnection(engine('2026-01-01T00:00:10Z'), now)).toBe('stale');
    expect(engineConnection(null, now)).toBe('unknown');
  });

  it('treats the stream as healthy only in the states /health accepts', () => {
    expect(streamHealthy(engine('2026-01-01T00:00:45Z', 'disabled'))).toBe(true);
    expect(streamHealthy(engine('2026-01-01T00:00:45Z', 'recovering'))).toBe(false);
    expect(streamHealthy(engine('2026-01-01T00:00:45Z', 'reconnecting'))).toBe(false);
  });

  it('raises a banner for a stale heartbeat, a down stream or lost live updates', () => {
    expect(
      bannerWarnings({
        engine: engine('2026-01-01T00:00:45Z'),
        nowMs: now,
        events: 'open',
        environmentMatch: true,
      }),
    ).toEqual([]);
    const w = bannerWarnings({
      engine: engine('2026-01-01T00:00:00Z', 'disconnected'),
      nowMs: now,
      events: 'reconnecting',
      environmentMatch: false,
    });
    expect(w).toHaveLength(4);
    expect(w[1]).toContain('stale (60 s old)');
    expect(w[2]).toContain('Broker stream is down (disconnected)');
    expect(bannerWarnings({ engine: null, nowMs: now, events: 'open', environmentMatch: null })[0]).toContain(
      'No engine heartbeat',
    );
  });
});
