/**
 * The ChangeNotifier port: "something of this kind changed for this profile". The engine announces
 * each change right after it commits it (and the API the commands it creates); API processes
 * subscribe and re-read only the kinds named, to push them to SSE clients at once instead of
 * polling. A notification is a hint, never the data: it carries the kind and at most a few ids, and
 * it may be lost (a dropped connection, a process restart), so a subscriber re-reads everything
 * when `resync` is called (the channel (re)connected) and on a slow safety poll of its own.
 *
 * Must preserve: `announce` never throws and never waits (a commit is never delayed or failed by
 * its announcement); listeners are called asynchronously, never inside `announce`.
 */

import { SSE_EVENT_KINDS, type SseEventKind } from '../contract/sse-events.js';

/**
 * What can change: the SSE event kinds (a change of one kind becomes the event of that kind).
 * 'engine' is the heartbeat (stream state, last event and sync times, lag).
 */
export const CHANGE_KINDS = SSE_EVENT_KINDS;
export type ChangeKind = SseEventKind;

/** At most this many ids travel with a change; more, and the change names only its kind. */
export const MAX_CHANGE_IDS = 20;

export interface Change {
  profileId: string;
  kind: ChangeKind;
  /** The ids that changed (order ids, execution ids, command ids), when known and few. */
  ids?: readonly string[];
}

export interface ChangeListener {
  /** One change (its kind may be re-read at once). */
  change(change: Change): void;
  /** Changes may have been missed (the channel connected or reconnected): re-read every kind. */
  resync(): void;
}

/**
 * Which channel carries changes: 'polling' means none (separate processes on SQLite): subscribers
 * never hear a change and must poll.
 */
export type ChangeChannel = 'in-process' | 'postgres' | 'redis' | 'polling';

export interface ChangeNotifier {
  readonly channel: ChangeChannel;
  /** Announces a committed change; never throws, never waits. */
  announce(change: Change): void;
  /** Listens to one profile's changes until the returned function is called. */
  subscribe(profileId: string, listener: ChangeListener): () => void;
  close(): Promise<void>;
}
