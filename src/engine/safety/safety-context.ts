/**
 * What the safety handlers (submit's risk check, kill switch, resume) share: the settings, the
 * trading-state control, the one kill-switch runner of the engine, the market cache the pre-submit
 * check reads while it is fresh (market-cache.ts), and audit and notify helpers that stamp the
 * profile and environment. Notifying never throws: a failure is logged.
 */
import type { Logger } from '../../logging/logger.js';
import type { Clock } from '../../ports/clock.js';
import type { Notifier } from '../../ports/notifier.js';
import type { Store } from '../../ports/store.js';
import type { KillSwitchRunner } from './kill-switch.js';
import type { MarketCache } from './market-cache.js';
import type { SafetyOptions } from './safety-options.js';
import type { AuditInput, NotificationInput } from './safety-types.js';
import type { TradingStateControl } from './trading-state-control.js';

export type { AuditInput, NotificationInput } from './safety-types.js';

export interface SafetyContext {
  options: SafetyOptions;
  states: TradingStateControl;
  killSwitch: KillSwitchRunner;
  /** What the market-data refresher last read from the broker (quotes, assets, clock), read-only. */
  market: MarketCache;
  audit(event: AuditInput): Promise<void>;
  notify(notification: NotificationInput): Promise<void>;
}

export interface SafetyHelperDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  notifier: Notifier | null;
  profileId: string;
  environment: 'paper' | 'live';
}

export function auditWith(d: SafetyHelperDeps): SafetyContext['audit'] {
  return async (event) => {
    await d.store.audit.append({
      subjectType: null,
      subjectId: null,
      ...event,
      profileId: d.profileId,
      at: d.clock.timestamp(),
    });
  };
}

export function notifyWith(d: SafetyHelperDeps): SafetyContext['notify'] {
  return async (n) => {
    if (!d.notifier) return;
    try {
      await d.notifier.notify({ ...n, profileId: d.profileId, environment: d.environment });
    } catch (error) {
      d.log.warn({ err: error, kind: n.kind }, 'notification failed');
    }
  };
}

/** True when `token` names `environment` (PAPER or LIVE, any case). */
export function tokenMatches(token: unknown, environment: 'paper' | 'live'): boolean {
  return typeof token === 'string' && token.trim().toLowerCase() === environment;
}
