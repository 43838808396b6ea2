/**
 * Server-Sent Events over fetch. EventSource cannot send an Authorization header, so the page
 * reads GET /events as a stream and parses it here: `SseParser` is the pure part (the text/
 * event-stream grammar: event, data, id, retry, comments, any line ending, chunks split anywhere);
 * `connectEvents` keeps one stream open, resends Last-Event-ID and reconnects with a capped
 * backoff until stopped.
 */
import { type BackoffPolicy, backoffDelay } from '../contract';

export interface SseMessage {
  event: string;
  data: string;
  id: string | null;
}

export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | null = null;
  /** The last id seen (persists across messages, as the spec's "last event ID"). */
  lastEventId: string | null = null;
  /** The server's reconnection time in ms, when it sent one. */
  retryMs: number | null = null;

  /** Feeds a chunk of text; returns the messages it completed. */
  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A lone \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message) out.push(message);
    }
    return out;
  }

  private line(line: string): SseMessage | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return null;
  }

  private dispatch(): SseMessage | null {
    if (this.id !== null) this.lastEventId = this.id;
    const hasData = this.data.length > 0;
    const message = { event: this.event || 'message', data: this.data.join('\n'), id: this.id };
    this.event = '';
    this.data = [];
    this.id = null;
    return hasData ? message : null;
  }
}

/** Without a `retry:` from the server, reconnects start at 1 s; they double up to 15 s (no jitter). */
const RECONNECT: BackoffPolicy = { baseMs: 1_000, capMs: 15_000, jitter: 'none' };

/** Reconnect delay: the server's retry (or 1 s) doubled per consecutive failure, capped at 15 s. */
export function reconnectDelay(failures: number, retryMs: number | null): number {
  return backoffDelay({ ...RECONNECT, baseMs: retryMs ?? RECONNECT.baseMs, attempt: failures - 1 });
}

export type StreamStatus = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

export interface ConnectOptions {
  url: string;
  headers: () => Record<string, string>;
  onMessage: (message: SseMessage) => void;
  onStatus: (status: StreamStatus) => void;
  fetchImpl?: typeof fetch;
}

/** Opens the stream and keeps it open; returns a function that stops it. */
export function connectEvents(options: ConnectOptions): () => void {
  const fetchImpl = options.fetchImpl ?? fetch.bind(globalThis);
  let stopped = false;
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let lastEventId: string | null = null;
  let retryMs: number | null = null;

  const schedule = () => {
    if (stopped) return;
    failures += 1;
    options.onStatus('reconnecting');
    timer = setTimeout(run, reconnectDelay(failures, retryMs));
  };

  const run = async () => {
    if (stopped) return;
    controller = new AbortController();
    const parser = new SseParser();
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers() };
      if (lastEventId) headers['last-event-id'] = lastEventId;
      const response = await fetchImpl(options.url, {
        headers,
        signal: controller.signal,
        cache: 'no-store',
      });
      if (response.status === 401) {
        options.onStatus('unauthorized');
        return; // the page asks for a token and reconnects by calling connectEvents again
      }
      if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      options.onStatus('open');
      failures = 0;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const message of parser.push(value)) options.onMessage(message);
        lastEventId = parser.lastEventId ?? lastEventId;
        retryMs = parser.retryMs ?? retryMs;
      }
    } catch {
      // network error or abort: fall through to the reconnect
    }
    schedule();
  };

  options.onStatus('connecting');
  void run();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    controller?.abort();
  };
}
