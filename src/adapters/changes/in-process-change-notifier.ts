/**
 * The in-process change channel (the all-in-one: engine and API share one process and this one
 * object). A change reaches the listeners of its profile in a microtask after `announce`, never
 * lost while the process lives; nothing is ever missed, so `resync` is never needed.
 */
import type { Change, ChangeListener, ChangeNotifier } from '../../ports/change-notifier.js';
import { type ErrorSink, ListenerSet } from './change-fanout.js';

export class InProcessChangeNotifier implements ChangeNotifier {
  readonly channel = 'in-process' as const;
  readonly #listeners: ListenerSet;
  #closed = false;

  constructor(options: { onError?: ErrorSink } = {}) {
    this.#listeners = new ListenerSet(options.onError);
  }

  announce(change: Change): void {
    if (!this.#closed) this.#listeners.deliver(change);
  }

  subscribe(profileId: string, listener: ChangeListener): () => void {
    return this.#listeners.add(profileId, listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}

/**
 * No channel (separate processes on SQLite): announcements go nowhere and subscribers hear
 * nothing, so the API's change feed polls the database instead (docs/api.md, Server-Sent Events).
 */
export const pollingChangeNotifier: ChangeNotifier = {
  channel: 'polling',
  announce: () => {},
  subscribe: () => () => {},
  close: async () => {},
};
