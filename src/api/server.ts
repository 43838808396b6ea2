/**
 * The listener: puts a built app on API_HOST:API_PORT and hands back its URL and a close
 * function. Kept apart from app.ts so tests and the all-in-one start choose how to run it.
 */
import type { FastifyInstance } from 'fastify';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

export async function listen(app: FastifyInstance, host: string, port: number): Promise<RunningApi> {
  await app.listen({ host, port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shownHost}:${actualPort}`, close: () => app.close() };
}
