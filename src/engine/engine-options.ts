/**
 * The engine's settings: what it takes from the configuration (intervals in ms) plus tuning with
 * production defaults (lease TTL 10 s renewed every 3 s, heartbeat every 3 s, 5 s re-read margin).
 */
import type { Config } from '../config/config.js';
import { type SafetyOptions, safetyOptionsFromConfig } from './safety/safety-options.js';

export interface EngineOptions {
  profileId: string;
  environment: 'paper' | 'live';
  pollIntervalMs: number;
  syncMinIntervalMs: number;
  enableTradingWs: boolean;
  maxBackoffMs: number;
  /** Who holds the lease (default: a fresh id with the host's pid). */
  holder?: string;
  version?: string;
  leaseTtlMs?: number;
  leaseRenewMs?: number;
  heartbeatMs?: number;
  /** Re-read margin before every watermark and last event time. */
  marginMs?: number;
  /** How far back the first run reads orders and fills. */
  firstRunLookbackMs?: number;
  baseBackoffMs?: number;
  /** A connection healthy this long resets the reconnect backoff. */
  stableMs?: number;
  /** Import portfolio history at startup (default true). */
  importHistory?: boolean;
  /** How long startup waits for a healthy stream before taking commands anyway (default 5 s). */
  streamWaitMs?: number;
  /** Risk limits, kill switch, market data and notification settings (default: the config's). */
  safety?: Partial<SafetyOptions>;
}

export type ResolvedEngineOptions = Required<EngineOptions>;

export function engineOptionsFromConfig(config: Readonly<Config>): EngineOptions {
  return {
    profileId: config.profileId,
    environment: config.environment,
    pollIntervalMs: config.engine.pollIntervalSeconds * 1000,
    syncMinIntervalMs: config.engine.syncMinIntervalSeconds * 1000,
    enableTradingWs: config.engine.enableTradingWs,
    maxBackoffMs: config.engine.tradingWsMaxBackoffSeconds * 1000,
    safety: safetyOptionsFromConfig(config),
  };
}

export function resolveOptions(o: EngineOptions, holder: string, version: string): ResolvedEngineOptions {
  return {
    holder,
    version,
    leaseTtlMs: 10_000,
    leaseRenewMs: 3_000,
    heartbeatMs: 3_000,
    marginMs: 5_000,
    firstRunLookbackMs: 7 * 24 * 3600_000,
    baseBackoffMs: 500,
    stableMs: 60_000,
    importHistory: true,
    streamWaitMs: 5_000,
    safety: {},
    ...o,
  };
}
