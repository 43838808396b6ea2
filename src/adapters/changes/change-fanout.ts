/**
 * What every change channel shares: the listeners by profile (each called asynchronously, one
 * failing listener never stops the others or reaches the announcer) and the changes announced
 * while a channel is not connected, coalesced by profile and kind (at most one entry per kind,
 * its ids merged) and sent once it is.
 */
import type { Change, ChangeListener } from '../../ports/change-notifier.js';
import { boundedIds } from './change-codec.js';

export type ErrorSink = (error: unknown) => void;

export class ListenerSet {
  readonly #byProfile = new Map<string, Set<ChangeListener>>();

  constructor(private readonly onError: ErrorSink = () => {}) {}

  get size(): number {
    let n = 0;
    for (const set of this.#byProfile.values()) n += set.size;
    return n;
  }

  profiles(): string[] {
    return [...this.#byProfile.keys()];
  }

  /** Adds a listener; the returned function removes it (once). */
  add(profileId: string, listener: ChangeListener): () => void {
    let set = this.#byProfile.get(profileId);
    if (set === undefined) {
      set = new Set();
      this.#byProfile.set(profileId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#byProfile.get(profileId) === set) this.#byProfile.delete(profileId);
    };
  }

  /** Calls `change` on the profile's listeners, in a microtask (never inside the caller). */
  deliver(change: Change): void {
    const set = this.#byProfile.get(change.profileId);
    if (set === undefined) return;
    for (const listener of [...set]) queueMicrotask(() => this.#call(() => listener.change(change)));
  }

  /** Calls `resync` on the listeners of one profile, or of all. */
  resync(profileId?: string): void {
    const sets = profileId === undefined ? [...this.#byProfile.values()] : [this.#byProfile.get(profileId)];
    for (const set of sets)
      for (const listener of [...(set ?? [])]) queueMicrotask(() => this.#call(() => listener.resync()));
  }

  #call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.onError(error);
    }
  }
}

/** Changes waiting for a connection, coalesced by profile and kind. */
export class PendingChanges {
  readonly #changes = new Map<string, { change: Change; ids: Set<string> | null }>();

  get size(): number {
    return this.#changes.size;
  }

  add(change: Change): void {
    const key = `${change.profileId}\u0000${change.kind}`;
    const ids = change.ids === undefined ? null : new Set(change.ids);
    const held = this.#changes.get(key);
    if (held === undefined) {
      this.#changes.set(key, { change, ids });
      return;
    }
    // Either side without ids means "anything of this kind": the merged change has none.
    if (held.ids === null || ids === null) held.ids = null;
    else for (const id of ids) held.ids.add(id);
  }

  /** Everything held, emptied. */
  take(): Change[] {
    const out = [...this.#changes.values()].map(({ change, ids }) => {
      const bounded = ids === null ? undefined : boundedIds([...ids]);
      return { profileId: change.profileId, kind: change.kind, ...(bounded ? { ids: bounded } : {}) };
    });
    this.#changes.clear();
    return out;
  }
}
