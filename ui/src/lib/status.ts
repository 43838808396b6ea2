/**
 * What the header says about the system: engine connection from the heartbeat age, whether the
 * broker stream is healthy, and the warnings the banner shows. Thresholds follow /health
 * (docs/api.md): a heartbeat older than 30 s is stale; the stream is healthy only in the states
 * the contract calls healthy (src/contract/stream-state.ts), the ones /health accepts.
 */
import type { EngineInfo } from '../api/types';
import { isHealthyStreamState } from '../contract';
import { ageMs } from './format';

export const HEARTBEAT_STALE_MS = 30_000;

export type EngineConnection = 'connected' | 'stale' | 'unknown';

export function engineConnection(engine: EngineInfo | null, nowMs: number): EngineConnection {
  if (!engine) return 'unknown';
  const age = ageMs(engine.heartbeat_at, nowMs);
  if (age === null) return 'unknown';
  return age > HEARTBEAT_STALE_MS ? 'stale' : 'connected';
}

export function streamHealthy(engine: EngineInfo | null): boolean {
  return engine !== null && isHealthyStreamState(engine.stream_state);
}

/** The banner's warnings, most important first; empty when all is well. */
export function bannerWarnings(input: {
  engine: EngineInfo | null;
  nowMs: number;
  events: 'connecting' | 'open' | 'reconnecting' | 'unauthorized';
  environmentMatch: boolean | null;
}): string[] {
  const out: string[] = [];
  const conn = engineConnection(input.engine, input.nowMs);
  if (input.events === 'unauthorized')
    out.push('The API needs its token: live updates are paused until it is given.');
  else if (input.events === 'reconnecting')
    out.push('Live updates are disconnected: reconnecting. Figures may be out of date.');
  if (conn === 'unknown') out.push('No engine heartbeat: the engine is not running for this profile.');
  if (conn === 'stale') {
    const age = Math.round((ageMs(input.engine?.heartbeat_at, input.nowMs) ?? 0) / 1000);
    out.push(`Engine heartbeat is stale (${age} s old): positions and orders may be out of date.`);
  }
  if (input.engine && !streamHealthy(input.engine))
    out.push(`Broker stream is down (${input.engine.stream_state}): fills arrive only by polling.`);
  if (input.environmentMatch === false)
    out.push('The API and the engine run in different environments: commands are refused.');
  return out;
}
