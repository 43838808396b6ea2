/** Production Clock and IdGenerator: wall time, real timers, random UUIDs. */
import { randomUUID } from 'node:crypto';
import type { Clock, IdGenerator } from '../../ports/clock.js';

export const systemClock: Clock = {
  now: () => new Date(),
  timestamp: () => new Date().toISOString(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(timer) };
  },
  sleep(ms, signal) {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  },
};

export const uuidGenerator: IdGenerator = { next: () => randomUUID() };
