/**
 * GET /events: Server-Sent Events from the change feed (change-feed.ts, which documents each
 * payload). On connect the client gets the current state of every kind (or, with a Last-Event-ID
 * from this feed, only what changed since), then one event per change as the change channel
 * reports it; a comment line every `keepAliveMs` keeps proxies from closing an idle stream.
 * Disconnects unsubscribe at once; closing the app ends all streams.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { SSE_EVENT_KINDS } from '../../contract/sse-events.js';
import type { ChangeFeed, FeedEvent } from '../change-feed.js';
import type { ApiContext } from '../context.js';

function frame(event: FeedEvent): string {
  return `id: ${event.id}\nevent: ${event.kind}\ndata: ${event.data}\n\n`;
}

export function registerEventRoutes(app: FastifyInstance, ctx: ApiContext, feed: ChangeFeed): void {
  const open = new Set<ServerResponse>();
  // preClose, not onClose: the server waits for open connections before onClose hooks run.
  app.addHook('preClose', async () => {
    feed.stop();
    for (const raw of open) raw.destroy();
  });
  app.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: `Server-Sent Events: ${SSE_EVENT_KINDS.join(', ')}`,
        produces: ['text/event-stream'],
        headers: { type: 'object', properties: { 'last-event-id': { type: 'string', maxLength: 100 } } },
      },
    },
    async (request, reply) => {
      const raw = reply.raw;
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
        'x-centaur-environment': ctx.config.environment,
      });
      raw.write(`retry: 2000\n\n`);
      open.add(raw);
      const lastId = request.headers['last-event-id'];
      const { initial, unsubscribe } = await feed.subscribe(
        (event) => raw.write(frame(event)),
        typeof lastId === 'string' ? lastId : undefined,
      );
      for (const event of initial) raw.write(frame(event));
      const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), ctx.options.keepAliveMs);
      const cleanup = () => {
        clearInterval(keepAlive);
        unsubscribe();
        open.delete(raw);
        request.raw.socket?.destroy(); // an SSE connection is never reused
      };
      if (raw.destroyed || raw.writableEnded) cleanup();
      else raw.once('close', cleanup);
    },
  );
}
