/**
 * Waiting on work with a time limit on the engine's clock: true when the work settled (fulfilled
 * or rejected) first, false when the time ran out. The timer is cancelled either way, so nothing
 * is left pending.
 */
import type { Clock } from '../ports/clock.js';

export async function settlesWithin(clock: Clock, work: Promise<unknown>, ms: number): Promise<boolean> {
  const timeout = new AbortController();
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      clock.sleep(ms, timeout.signal).then(() => false),
    ]);
  } finally {
    timeout.abort();
  }
}
