/**
 * The simulator's error catalogue: every non-2xx answer on the Alpaca surface is a SimError with
 * Alpaca's HTTP status, 8-digit integer code (first three digits = status) and message.
 * Must preserve: the `{code, message, ...context}` body shape; codes and messages stay in step
 * with docs/alpaca-api.md §3.2 (a test checks the table below).
 */

export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'SimError';
  }

  /** The JSON body Alpaca sends: context fields, then code and message. */
  body(): Record<string, unknown> {
    return { ...this.extra, code: this.code, message: this.message };
  }
}

/** Codes used by the simulator; the reference lists the same values. */
export const CODES = {
  badRequest: 40010000,
  invalid: 40010001,
  unauthorized: 40110000,
  forbidden: 40310000,
  notFound: 40410000,
  unprocessable: 42210000,
  rateLimited: 42910000,
  internal: 50010000,
} as const;

export const simErrors = {
  malformedBody: () => new SimError(400, CODES.badRequest, 'request body format is invalid'),
  badRequest: (message: string) => new SimError(400, CODES.badRequest, message),
  unauthorized: () => new SimError(401, CODES.unauthorized, 'request is not authorized'),
  invalid: (message: string) => new SimError(422, CODES.invalid, message),
  unprocessable: (message: string) => new SimError(422, CODES.unprocessable, message),
  forbidden: (message: string, extra: Record<string, unknown> = {}) =>
    new SimError(403, CODES.forbidden, message, extra),
  notFound: (message: string) => new SimError(404, CODES.notFound, message),
  orderNotFound: () => new SimError(404, CODES.notFound, 'order not found'),
  positionNotFound: () => new SimError(404, CODES.notFound, 'position does not exist'),
  rateLimited: () => new SimError(429, CODES.rateLimited, 'rate limit exceeded'),
  internal: (status = 500) =>
    new SimError(
      status,
      status * 100000 + 10000,
      status === 500 ? 'internal server error' : 'service unavailable',
    ),
};

/** Maps any HTTP status to an Alpaca-style code (used for framework errors such as 415). */
export function codeForStatus(status: number): number {
  return status * 100000 + 10000;
}
