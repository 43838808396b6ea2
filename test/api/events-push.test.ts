/**
 * GET /events driven by the change channel: an announced change reaches an SSE client at once
 * (the safety poll is set far beyond the test's timeout, so only the push can deliver it), with
 * the body of the matching GET route; fills arrive as a delta of new fills; commands the API
 * creates are announced by the API; a change whose notification was lost is recovered by the
 * safety poll, and one lost while the channel was away by the resync that follows a reconnect.
 * Waits are for events, never for time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessChangeNotifier } from '../../src/adapters/changes/in-process-change-notifier.js';
import { listen, type RunningApi } from '../../src/api/server.js';
import type { Change, ChangeListener, ChangeNotifier } from '../../src/ports/change-notifier.js';
import { makeFill, makePosition, makeSnapshot } from '../storage/fixtures.js';
import { type Harness, harness, PROFILE } from './harness.js';

/** Far longer than any test runs: an event seen within a test did not come from the safety poll. */
const NEVER_MS = 600_000;

interface Frame {
  id: string;
  event: string;
  data: string;
}

/** An SSE client whose waits resolve on arriving frames (the deadline only turns a hang into a failure). */
async function sse(url: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/events`, { signal: controller.signal });
  const reader = (response.body as ReadableStream<Uint8Array>)
    .pipeThrough(new TextDecoderStream())
    .getReader();
  const frames: Frame[] = [];
  const waiting: { wake: (() => void) | null } = { wake: null };
  let buffer = '';
  const pump = (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      buffer += value;
      for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
        const frame: Frame = { id: '', event: '', data: '' };
        for (const line of buffer.slice(0, cut).split('\n')) {
          const m = /^(id|event|data): (.*)$/.exec(line);
          if (m) frame[m[1] as keyof Frame] = m[2] as string;
        }
        buffer = buffer.slice(cut + 2);
        if (frame.event) frames.push(frame);
      }
      waiting.wake?.();
    }
  })();
  return {
    frames,
    async next(match: (f: Frame) => boolean, from = 0, ms = 10_000): Promise<Frame> {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = frames.slice(from).find(match);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no such event; got ${JSON.stringify(frames.map((f) => f.event))}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiting.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    close: async () => {
      controller.abort();
      await pump;
    },
  };
}

type Client = Awaited<ReturnType<typeof sse>>;

/** A channel the test drives by hand: it can drop notifications and call resync. */
class ManualChannel implements ChangeNotifier {
  readonly channel = 'redis' as const;
  readonly listeners = new Set<ChangeListener>();
  announce(_change: Change): void {} // every notification is lost
  subscribe(_profileId: string, listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async close(): Promise<void> {}
}

describe('GET /events with a change channel', () => {
  let h: Harness;
  let api: RunningApi;
  let client: Client | null = null;
  afterEach(async () => {
    await client?.close();
    client = null;
    await api.close();
    await h.close();
  });

  async function start(changes: ChangeNotifier, safetyPollMs: number): Promise<Client> {
    h = await harness({ changes, options: { eventsSafetyPollMs: safetyPollMs, eventsPollMs: NEVER_MS } });
    api = await listen(h.app, '127.0.0.1', 0);
    client = await sse(api.url);
    await client.next((f) => f.event === 'trading_state'); // the initial state has arrived
    return client;
  }

  it('pushes an announced change at once, with the body of its GET route', async () => {
    const changes = new InProcessChangeNotifier();
    const c = await start(changes, NEVER_MS);
    const from = c.frames.length;
    await h.store.positions.replaceAll(PROFILE, [makePosition({ symbol: 'TSLA' })], '2026-08-03T13:59:00Z');
    changes.announce({ profileId: PROFILE, kind: 'positions' });
    const event = await c.next((f) => f.event === 'positions', from);
    const route = await h.request({ method: 'GET', url: '/state/positions' });
    expect(JSON.parse(event.data)).toEqual(route.json());
    expect(JSON.parse(event.data).positions[0]).toMatchObject({ symbol: 'TSLA', provenance: 'confirmed' });
    // Only the announced kind was read and sent.
    expect(c.frames.slice(from).map((f) => f.event)).toEqual(['positions']);
  });

  it('sends fills as a delta of the new fills, in the shape of GET /state/fills', async () => {
    const changes = new InProcessChangeNotifier();
    const c = await start(changes, NEVER_MS);
    const initial = JSON.parse((await c.next((f) => f.event === 'fills')).data);
    expect(initial).toEqual((await h.request({ method: 'GET', url: '/state/fills?limit=50' })).json());
    await h.store.fills.insert(PROFILE, makeFill({ executionId: 'x-old', at: '2026-08-03T13:00:00.000Z' }));
    changes.announce({ profileId: PROFILE, kind: 'fills', ids: ['x-old'] });
    await c.next((f) => f.event === 'fills' && f.data.includes('x-old'));
    const from = c.frames.length;
    await h.store.fills.insert(PROFILE, makeFill({ executionId: 'x-new', at: '2026-08-03T13:59:00.000Z' }));
    changes.announce({ profileId: PROFILE, kind: 'fills', ids: ['x-new'] });
    const delta = JSON.parse((await c.next((f) => f.event === 'fills', from)).data);
    const route = (await h.request({ method: 'GET', url: '/state/fills?limit=50' })).json();
    expect(delta).toEqual({ profile_id: PROFILE, fills: [route.fills[0]] });
    expect(delta.fills[0].execution_id).toBe('x-new');
  });

  it('announces the commands the API creates', async () => {
    const changes = new InProcessChangeNotifier();
    const c = await start(changes, NEVER_MS);
    const from = c.frames.length;
    const reply = await h.request({
      method: 'POST',
      url: '/commands/kill-switch',
      payload: { confirm_token: 'PAPER' },
    });
    expect(reply.statusCode).toBe(202);
    const id = reply.json().command.id as string;
    const event = await c.next((f) => f.event === 'commands' && f.data.includes(id), from);
    expect(JSON.parse(event.data)).toEqual(
      (await h.request({ method: 'GET', url: '/commands?limit=20' })).json(),
    );
  });

  it('recovers a change whose notification was lost on the safety poll', async () => {
    const c = await start(new ManualChannel(), 50);
    const from = c.frames.length;
    await h.store.tradingState.set({
      profileId: PROFILE,
      state: 'HALTED',
      reason: 'kill switch',
      changedBy: 'engine',
      changedAt: '2026-08-03T14:00:00Z',
    });
    const event = await c.next((f) => f.event === 'trading_state', from);
    expect(JSON.parse(event.data)).toMatchObject({ state: 'HALTED', reason: 'kill switch' });
  });

  it('re-reads every kind when the channel reconnects (resync)', async () => {
    const channel = new ManualChannel();
    const c = await start(channel, NEVER_MS);
    const from = c.frames.length;
    await h.store.accounts.append(PROFILE, makeSnapshot({ equity: '1000' }));
    for (const listener of channel.listeners) listener.resync();
    const event = await c.next((f) => f.event === 'account', from);
    expect(JSON.parse(event.data)).toEqual(
      (await h.request({ method: 'GET', url: '/state/account' })).json(),
    );
  });
});
