/**
 * Errors of the earnings-calendar tool. Each carries the process exit code the CLI uses:
 * 2 for bad usage or configuration, 1 for a runtime failure (HTTP, rate limit, bad data).
 * Messages are built from redacted URLs only, so an API key never reaches a log or a terminal.
 */

export class ToolError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

/** Bad configuration or usage: a missing key, an unreadable TOML file, an invalid value. */
export class ToolConfigError extends ToolError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'ToolConfigError';
  }
}

/** A non-success HTTP status. `url` is already redacted. */
export class HttpStatusError extends ToolError {
  constructor(
    readonly source: string,
    readonly status: number,
    readonly url: string,
    detail: string,
  ) {
    super(`${source}: HTTP ${status} from ${url}${detail ? ` — ${detail}` : ''}`);
    this.name = 'HttpStatusError';
  }
}

/** HTTP 429. `retryAt` is known when the provider sent a Retry-After header. */
export class RateLimitError extends HttpStatusError {
  constructor(
    source: string,
    url: string,
    readonly retryAt: Date | null,
  ) {
    const when = retryAt ? `retry after ${retryAt.toISOString()}` : 'retry in a minute or two';
    super(source, 429, url, `rate limited by the provider; ${when}`);
    this.name = 'RateLimitError';
  }
}
