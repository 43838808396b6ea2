import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listen, type RunningApi } from '../../src/api/server.js';
import { makePosition } from '../storage/fixtures.js';
import { type Harness, harness, heartbeat, PROFILE } from './harness.js';

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** Reads SSE frames from a fetch body; comments are collected as events with event ':comment'. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: SseEvent[] = [];
  const pump = (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const e: SseEvent = {};
        for (const line of frame.split('\n')) {
          if (line.startsWith(':')) e.event = ':comment';
          const m = /^(id|event|data): (.*)$/.exec(line);
          if (m) e[m[1] as keyof SseEvent] = m[2];
        }
        events.push(e);
        cut = buffer.indexOf('\n\n');
      }
    }
  })();
  return {
    events,
    async waitFor(predicate: (e: SseEvent) => boolean, ms = 3_000): Promise<SseEvent> {
      const start = Date.now();
      for (;;) {
        const found = events.find(predicate);
        if (found) return found;
        if (Date.now() - start > ms) throw new Error(`no such event in ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    cancel: async () => {
      await reader.cancel().catch(() => {});
      await pump;
    },
  };
}

const POLL_MS = 30;

/**
 * Resolves when the response to the next request the app's HTTP server receives has closed. This
 * listener is added before the route's own (its cleanup on close: unsubscribe), so by the time the
 * promise resolves the route has seen the disconnect too.
 */
function nextResponseClosed(h: Harness): Promise<void> {
  return new Promise((done) => {
    h.app.server.once('request', (_req: unknown, res: ServerResponse) => res.once('close', () => done()));
  });
}

describe('GET /events', () => {
  let h: Harness;
  let api: RunningApi;
  afterEach(async () => {
    await h.close();
  });

  it('sends the current state, then an event per change, keep-alives, and stops polling on disconnect', async () => {
    h = await harness({ options: { eventsPollMs: POLL_MS, keepAliveMs: 50 } });
    api = await listen(h.app, '127.0.0.1', 0);
    const closed = nextResponseClosed(h);
    const response = await fetch(`${api.url}/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const sse = sseReader(response.body as ReadableStream<Uint8Array>);
    const kinds = ['positions', 'orders', 'account', 'commands', 'engine', 'trading_state'];
    for (const kind of kinds) await sse.waitFor((e) => e.event === kind);
    expect(JSON.parse((await sse.waitFor((e) => e.event === 'positions')).data ?? '')).toEqual({
      profile_id: PROFILE,
      as_of: null,
      provenance: 'empty',
      positions: [],
    });

    await h.store.positions.replaceAll(PROFILE, [makePosition({ symbol: 'TSLA' })], '2026-08-03T13:59:00Z');
    const changed = await sse.waitFor((e) => e.event === 'positions' && (e.data ?? '').includes('TSLA'));
    expect(JSON.parse(changed.data ?? '').positions[0]).toMatchObject({
      symbol: 'TSLA',
      provenance: 'confirmed',
    });
    await h.store.heartbeats.write(heartbeat());
    const engine = await sse.waitFor((e) => e.event === 'engine' && (e.data ?? '').includes('listening'));
    expect(JSON.parse(engine.data ?? '').engine).toMatchObject({
      stream_state: 'listening',
      environment: 'paper',
    });
    await h.request({ method: 'POST', url: '/commands/kill-switch', payload: { confirm_token: 'PAPER' } });
    await sse.waitFor((e) => e.event === 'commands' && (e.data ?? '').includes('kill_switch'));
    await sse.waitFor((e) => e.event === ':comment');
    const positionEvents = sse.events.filter((e) => e.event === 'positions');
    expect(positionEvents).toHaveLength(2); // unchanged kinds are not sent again

    const polls = vi.spyOn(h.store.positions, 'list');
    await sse.cancel();
    await closed; // the server has seen the disconnect, and unsubscribed the only listener
    const after = polls.mock.calls.length;
    // Proving that a timer stopped takes its period: several poll intervals with no read.
    await new Promise((r) => setTimeout(r, 5 * POLL_MS));
    expect(polls.mock.calls.length).toBe(after); // nobody listens: the feed stopped polling
  });

  it('with Last-Event-ID from this feed, sends only what changed since', async () => {
    h = await harness({ options: { eventsPollMs: POLL_MS, keepAliveMs: 50 } });
    api = await listen(h.app, '127.0.0.1', 0);
    const first = sseReader((await fetch(`${api.url}/events`)).body as ReadableStream<Uint8Array>);
    const last = await first.waitFor((e) => e.event === 'trading_state');
    await first.cancel();
    await h.store.tradingState.set({
      profileId: PROFILE,
      state: 'HALTED',
      reason: 'k',
      changedBy: 'e',
      changedAt: '2026-08-03T14:00:00Z',
    });
    const second = sseReader(
      (await fetch(`${api.url}/events`, { headers: { 'last-event-id': last.id ?? '' } }))
        .body as ReadableStream<Uint8Array>,
    );
    const halted = await second.waitFor((e) => e.event === 'trading_state');
    expect(JSON.parse(halted.data ?? '')).toMatchObject({ state: 'HALTED' });
    // The catch-up is written at once on connect, the first keep-alive after it: once a
    // keep-alive has arrived, everything the catch-up held has arrived too.
    await second.waitFor((e) => e.event === ':comment');
    expect(
      second.events.filter((e) => e.event !== undefined && e.event !== ':comment').map((e) => e.event),
    ).toEqual(['trading_state']);
    await second.cancel();
  });

  it('ends open streams when the app closes', async () => {
    h = await harness({ options: { eventsPollMs: POLL_MS } });
    api = await listen(h.app, '127.0.0.1', 0);
    const sse = sseReader((await fetch(`${api.url}/events`)).body as ReadableStream<Uint8Array>);
    await sse.waitFor((e) => e.event === 'positions');
    await api.close();
    await sse.cancel();
  });
});
