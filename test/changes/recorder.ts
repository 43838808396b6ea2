/**
 * A ChangeListener for tests that records what it hears and lets a test wait for it: `next`
 * resolves on the first matching change or resync (past or future), never by sleeping; the
 * deadline only turns a hang into a failure.
 */
import type { Change, ChangeListener } from '../../src/ports/change-notifier.js';

type Heard = { type: 'change'; change: Change } | { type: 'resync' };

export class Recorder implements ChangeListener {
  readonly heard: Heard[] = [];
  #waiters: Array<{ match: (h: Heard) => boolean; from: number; resolve: (h: Heard) => void }> = [];

  change(change: Change): void {
    this.#push({ type: 'change', change });
  }

  resync(): void {
    this.#push({ type: 'resync' });
  }

  get changes(): Change[] {
    return this.heard.flatMap((h) => (h.type === 'change' ? [h.change] : []));
  }

  get resyncs(): number {
    return this.heard.filter((h) => h.type === 'resync').length;
  }

  #push(h: Heard): void {
    this.heard.push(h);
    const index = this.heard.length - 1;
    this.#waiters = this.#waiters.filter((w) => {
      if (index < w.from || !w.match(h)) return true;
      w.resolve(h);
      return false;
    });
  }

  /** Waits for a matching entry at or after position `from` (default: anything heard so far counts). */
  next(match: (h: Heard) => boolean, from = 0, ms = 10_000): Promise<Heard> {
    const found = this.heard.slice(from).find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not heard in ${ms} ms; heard ${JSON.stringify(this.heard)}`)),
        ms,
      );
      this.#waiters.push({
        match,
        from,
        resolve: (h) => {
          clearTimeout(timer);
          resolve(h);
        },
      });
    });
  }

  /** The n-th resync (1-based), counted from the start. */
  resynced(n: number, ms?: number): Promise<Heard> {
    let seen = 0;
    return this.next((h) => h.type === 'resync' && ++seen >= n, 0, ms);
  }

  /** A change of `kind` whose ids include `id`, heard at or after `from`. */
  heardChange(kind: string, id: string, from = 0, ms?: number): Promise<Heard> {
    return this.next(
      (h) => h.type === 'change' && h.change.kind === kind && (h.change.ids ?? []).includes(id),
      from,
      ms,
    );
  }
}
