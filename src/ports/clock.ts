/** Time and ids are injected, so tests run on a fake clock and predictable ids. */
import type { Timestamp } from '../core/time.js';

export interface Clock {
  now(): Date;
  /** The current time as a domain timestamp. */
  timestamp(): Timestamp;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface IdGenerator {
  /** A new unique id (UUID v4 in production). */
  next(): string;
}
