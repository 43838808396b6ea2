/**
 * The engine's execution-safety settings: the risk limits it enforces before every submit, the
 * kill switch's knobs (broker suspend, retry bound), the market-data refresh cadence and the
 * stream-down notification delay. From the configuration (RISK_*, KILL_SWITCH_*, NOTIFY_*), with
 * the configuration's own defaults when the engine is started without them (tests).
 */
import { type Config, loadConfig } from '../../config/config.js';
import type { RiskLimits } from '../../core/risk/risk-types.js';

export interface SafetyOptions {
  risk: RiskLimits & { flattenOnDailyLoss: boolean };
  /** Sets the broker account's suspend_trade once the kill switch is flat (second lock). */
  suspendBroker: boolean;
  /** Quotes refreshed this often (ms) for positions, open orders and watched symbols. */
  quoteIntervalMs: number;
  /** Asset profiles re-read this often (ms); new symbols are read at once. */
  assetRefreshMs: number;
  /** A trade stream down this long (ms) is notified. */
  streamDownNotifyMs: number;
  /** Kill switch: rounds of act-then-verify before it reports failure. */
  killSwitchMaxRounds: number;
  /** Kill switch: first wait (ms) between rounds, doubled each round, capped at 2 s. */
  killSwitchBaseDelayMs: number;
}

let defaults: SafetyOptions | null = null;

export function safetyOptionsFromConfig(config: Readonly<Config>): SafetyOptions {
  return {
    risk: config.risk,
    suspendBroker: config.killSwitch.suspendBroker,
    quoteIntervalMs: 2_000,
    assetRefreshMs: 24 * 3600_000,
    streamDownNotifyMs: config.notify.streamDownSeconds * 1000,
    killSwitchMaxRounds: 12,
    killSwitchBaseDelayMs: 100,
  };
}

/** The settings, with the configuration's defaults for whatever is not given. */
export function resolveSafetyOptions(given: Partial<SafetyOptions> | undefined): SafetyOptions {
  defaults ??= safetyOptionsFromConfig(loadConfig({}));
  return { ...defaults, ...given };
}
