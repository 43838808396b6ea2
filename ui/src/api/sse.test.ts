import { describe, expect, it, vi } from 'vitest';
import { connectEvents, reconnectDelay, SseParser } from './sse';

describe('SSE parser', () => {
  it('parses events with ids, multi-line data and comments', () => {
    const p = new SseParser();
    const out = p.push(
      'retry: 2000\n\n: keep-alive\n\nid: f-1\nevent: orders\ndata: {"a":1}\n\nevent: x\ndata: l1\ndata: l2\n\n',
    );
    expect(out).toEqual([
      { event: 'orders', data: '{"a":1}', id: 'f-1' },
      { event: 'x', data: 'l1\nl2', id: null },
    ]);
    expect(p.retryMs).toBe(2000);
    expect(p.lastEventId).toBe('f-1');
  });

  it('completes messages split across chunks anywhere, with any line ending', () => {
    const p = new SseParser();
    const text = 'id: 7\r\nevent: account\r\ndata: {"b":2}\r\n\r\n';
    const got = [...text].flatMap((ch) => p.push(ch));
    expect(got).toEqual([{ event: 'account', data: '{"b":2}', id: '7' }]);
    expect(new SseParser().push('data:x\r\rdata: y\n\n')).toEqual([
      { event: 'message', data: 'x', id: null },
      { event: 'message', data: 'y', id: null },
    ]);
  });

  it('dispatches nothing for an event without data', () => {
    expect(new SseParser().push('event: ping\n\n')).toEqual([]);
  });

  it('backs off from the server retry, capped', () => {
    expect(reconnectDelay(1, 2000)).toBe(2000);
    expect(reconnectDelay(2, 2000)).toBe(4000);
    expect(reconnectDelay(10, 2000)).toBe(15_000);
    expect(reconnectDelay(1, null)).toBe(1000);
  });
});

function streamOf(text: string): Response {
  return new Response(new Blob([text]).stream(), { status: 200 });
}

describe('connectEvents', () => {
  it('delivers messages, reconnects after the stream ends and resends Last-Event-ID', async () => {
    const calls: Array<Record<string, string>> = [];
    const fetchImpl = vi.fn(async (_url: string, init?: RequestInit) => {
      calls.push({ ...(init?.headers as Record<string, string>) });
      if (calls.length > 2) return new Promise<Response>(() => {}); // stays connecting
      return streamOf(`retry: 10\n\nid: a-${calls.length}\nevent: engine\ndata: {}\n\n`);
    }) as unknown as typeof fetch;
    const messages: string[] = [];
    const statuses: string[] = [];
    const stop = connectEvents({
      url: '/events',
      headers: () => ({ authorization: 'Bearer t' }),
      onMessage: (m) => messages.push(m.id ?? ''),
      onStatus: (s) => statuses.push(s),
      fetchImpl,
    });
    await vi.waitFor(() => expect(messages).toEqual(['a-1', 'a-2']));
    stop();
    expect(calls[0]?.authorization).toBe('Bearer t');
    expect(calls[1]?.['last-event-id']).toBe('a-1');
    expect(statuses.slice(0, 3)).toEqual(['connecting', 'open', 'reconnecting']);
  });

  it('stops and reports unauthorized on a 401', async () => {
    const statuses: string[] = [];
    const fetchImpl = vi.fn(async () => new Response('{}', { status: 401 })) as unknown as typeof fetch;
    connectEvents({
      url: '/events',
      headers: () => ({}),
      onMessage: () => {},
      onStatus: (s) => statuses.push(s),
      fetchImpl,
    });
    await vi.waitFor(() => expect(statuses).toContain('unauthorized'));
    expect(fetchImpl).toHaveBeenCalledTimes(1);
  });
});
