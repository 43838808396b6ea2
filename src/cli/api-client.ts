/**
 * A small client of Centaur's own control plane, for the CLI commands that act through the API
 * (`status`, `kill-switch`): the base URL from API_HOST/API_PORT (or --api), the bearer token
 * from API_TOKEN, JSON in and out, and the API's error body turned into a readable message.
 */
import type { Config } from '../config/config.js';
import { CliError } from './context.js';

export interface ApiClient {
  readonly baseUrl: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

export function apiBaseUrl(config: Readonly<Config>, override?: string): string {
  if (override) return override.replace(/\/+$/, '');
  const host = ['0.0.0.0', '::', '[::]'].includes(config.api.host) ? '127.0.0.1' : config.api.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.api.port}`;
}

export function createApiClient(
  config: Readonly<Config>,
  override?: string,
  fetchFn: typeof fetch = fetch,
): ApiClient {
  const baseUrl = apiBaseUrl(config, override);
  const headers: Record<string, string> = {};
  if (config.api.token) headers.authorization = `Bearer ${config.api.token.reveal()}`;
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetchFn(`${baseUrl}${path}`, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new CliError(
        `cannot reach the Centaur API at ${baseUrl} (is \`centaur api\` or \`npm start\` running?): ${String(error)}`,
        1,
      );
    }
    const text = await response.text();
    const json = text ? (JSON.parse(text) as unknown) : null;
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
      throw new CliError(
        `the API refused (${response.status} ${error?.code ?? ''}): ${error?.message ?? text}`,
        1,
      );
    }
    return json as T;
  }
  return { baseUrl, get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}
