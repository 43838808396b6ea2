/**
 * How the engine announces what it committed (see ports/change-notifier.ts): `announce(kind, ids)`
 * bound to the profile, called right after each commit (never inside a transaction). It never
 * throws and never waits: a failing channel is logged (at most once a minute) and the change is
 * left to the API's safety poll.
 */
import type { Logger } from '../logging/logger.js';
import type { ChangeKind, ChangeNotifier } from '../ports/change-notifier.js';

export type Announce = (kind: ChangeKind, ids?: readonly string[]) => void;

/** Announces nothing (no channel, and tests that do not listen). */
export const announceNothing: Announce = () => {};

const LOG_EVERY_MS = 60_000;

export function announcerFor(
  notifier: ChangeNotifier | null | undefined,
  profileId: string,
  log: Pick<Logger, 'warn'>,
): Announce {
  if (notifier === null || notifier === undefined || notifier.channel === 'polling') return announceNothing;
  let loggedAt = Number.NEGATIVE_INFINITY;
  return (kind, ids) => {
    try {
      notifier.announce({ profileId, kind, ...(ids === undefined ? {} : { ids }) });
    } catch (error) {
      const now = Date.now();
      if (now - loggedAt < LOG_EVERY_MS) return;
      loggedAt = now;
      log.warn({ err: error, kind }, 'change announcement failed; the API re-reads on its safety poll');
    }
  };
}
