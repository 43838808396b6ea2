/**
 * The benchmark's SSE client: one GET /events held open with fetch, frames parsed as they arrive
 * and handed to `onEvent` with the local time they were read (performance.now()).
 */
export interface SseFrame {
  id: string | null;
  event: string;
  data: string;
}

export interface SseStream {
  close(): Promise<void>;
}

export async function openSse(
  url: string,
  onEvent: (frame: SseFrame, atMs: number) => void,
): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (!response.ok || response.body === null) throw new Error(`GET /events answered ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const pump = (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      const at = performance.now();
      buffer += value;
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const frame = parseFrame(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
        if (frame) onEvent(frame, at);
        cut = buffer.indexOf('\n\n');
      }
    }
  })();
  return {
    close: async () => {
      controller.abort();
      await pump;
    },
  };
}

function parseFrame(text: string): SseFrame | null {
  let id: string | null = null;
  let event = 'message';
  const data: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length === 0 ? null : { id, event, data: data.join('\n') };
}
