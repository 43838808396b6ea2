/**
 * What every change channel must do, run against each adapter: a change announced by one notifier
 * (another process's, for the networked channels) reaches the listeners of its profile, only
 * them, asynchronously; a failing listener harms nobody; unsubscribing stops delivery; announce
 * never throws, not even after close.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import type { ChangeNotifier } from '../../src/ports/change-notifier.js';
import { Recorder } from './recorder.js';

export interface ChannelPair {
  /** The announcing side (the engine's). */
  announcer: ChangeNotifier;
  /** The listening side (the API's); may be the same object for the in-process channel. */
  listener: ChangeNotifier;
  close(): Promise<void>;
}

/**
 * `ready` resolves once the listener is subscribed for real (the networked channels resync when
 * their LISTEN or SUBSCRIBE took effect; the in-process one is ready at once).
 */
export function changeNotifierContract(
  make: () => Promise<ChannelPair>,
  ready: (recorder: Recorder) => Promise<unknown>,
): void {
  let pair: ChannelPair | null = null;
  afterEach(async () => {
    await pair?.close();
    pair = null;
  });

  it('delivers an announced change to the listeners of its profile only', async () => {
    pair = await make();
    const [mine, other] = [new Recorder(), new Recorder()];
    const profile = `p-${randomUUID().slice(0, 8)}`;
    pair.listener.subscribe(profile, mine);
    pair.listener.subscribe(`${profile}-other`, other);
    await ready(mine);
    await ready(other);
    pair.announcer.announce({ profileId: profile, kind: 'orders', ids: ['o-1'] });
    pair.announcer.announce({ profileId: profile, kind: 'positions' });
    await mine.heardChange('orders', 'o-1');
    await mine.next((h) => h.type === 'change' && h.change.kind === 'positions');
    expect(mine.changes).toEqual([
      { profileId: profile, kind: 'orders', ids: ['o-1'] },
      { profileId: profile, kind: 'positions' },
    ]);
    pair.announcer.announce({ profileId: `${profile}-other`, kind: 'fills', ids: ['x'] });
    await other.heardChange('fills', 'x');
    expect(mine.changes).toHaveLength(2); // the other profile's change came after and was not ours
  });

  it('calls listeners asynchronously; a throwing listener harms neither the announcer nor others', async () => {
    pair = await make();
    const profile = `p-${randomUUID().slice(0, 8)}`;
    const good = new Recorder();
    const bad = new Recorder();
    bad.change = () => {
      throw new Error('listener bug');
    };
    pair.listener.subscribe(profile, bad);
    pair.listener.subscribe(profile, good);
    await ready(good);
    const before = good.changes.length;
    expect(() =>
      pair?.announcer.announce({ profileId: profile, kind: 'commands', ids: ['c-1'] }),
    ).not.toThrow();
    expect(good.changes.length).toBe(before); // not inside announce
    await good.heardChange('commands', 'c-1');
  });

  it('stops delivering once unsubscribed, and never throws after close', async () => {
    pair = await make();
    const profile = `p-${randomUUID().slice(0, 8)}`;
    const gone = new Recorder();
    const stays = new Recorder();
    const unsubscribe = pair.listener.subscribe(profile, gone);
    pair.listener.subscribe(profile, stays);
    await ready(gone);
    await ready(stays);
    unsubscribe();
    pair.announcer.announce({ profileId: profile, kind: 'account', ids: ['a-1'] });
    await stays.heardChange('account', 'a-1');
    expect(gone.changes).toEqual([]);
    await pair.close();
    expect(() => pair?.announcer.announce({ profileId: profile, kind: 'engine' })).not.toThrow();
    pair = null;
  });
}
