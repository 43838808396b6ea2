/**
 * SDK errors -> BrokerError codes, in one place. The classification that matters most is
 * "ambiguous": a mutation whose request may have reached the broker (network failure, timeout,
 * 5xx) has an unknown outcome and must be settled by a lookup, never by sending it again.
 * Must preserve: a read is never "ambiguous" (it is "unavailable"); a 429 carries retryAfterMs;
 * messages carry the broker's text and code but never a credential.
 */
import { errors } from '@alpacahq/alpaca-trade-api';
import { BrokerError, type BrokerErrorCode } from '../../ports/broker.js';

export interface ErrorContext {
  /** What was attempted, for the message ("submit order", "list positions"). */
  operation: string;
  /** True when the request changes broker state (POST, PATCH, DELETE). */
  mutation: boolean;
}

/** The broker's 422 for a client order id it has seen before: the order already exists. */
export function isDuplicateClientOrderId(err: unknown): boolean {
  return err instanceof BrokerError && err.code === 'invalid_request' && /client_order_id/i.test(err.message);
}

function permissionCode(message: string): BrokerErrorCode {
  if (/buying power/i.test(message)) return 'insufficient_buying_power';
  if (/insufficient qty|qty available/i.test(message)) return 'insufficient_qty';
  return 'rejected';
}

function apiErrorCode(err: errors.ApiError, mutation: boolean): BrokerErrorCode {
  if (err instanceof errors.RateLimitError || err.status === 429) return 'rate_limited';
  if (err instanceof errors.AuthError || err.status === 401) return 'unauthorized';
  if (err instanceof errors.PermissionError || err.status === 403) return permissionCode(err.message);
  if (err instanceof errors.NotFoundError || err.status === 404) return 'not_found';
  if (err instanceof errors.ValidationError || err.status === 400 || err.status === 422) {
    return 'invalid_request';
  }
  if (err.status >= 500 || err.status === 408) return mutation ? 'ambiguous' : 'unavailable';
  return 'rejected';
}

/** Maps anything a broker call threw to a BrokerError (BrokerErrors pass through unchanged). */
export function toBrokerError(err: unknown, ctx: ErrorContext): BrokerError {
  if (err instanceof BrokerError) return err;
  if (err instanceof errors.ApiError) {
    const code = apiErrorCode(err, ctx.mutation);
    const suffix = code === 'ambiguous' ? ' (outcome unknown: the request may have been applied)' : '';
    return withCause(
      new BrokerError(code, `${ctx.operation}: HTTP ${err.status} ${err.message}${suffix}`, {
        status: err.status,
        ...(err.code !== undefined ? { brokerCode: err.code } : {}),
        ...(code === 'rate_limited' ? { retryAfterMs: err.retryAfterMs ?? 60_000 } : {}),
      }),
      err,
    );
  }
  // FetchError (network failure, abort, timeout) or a failure reading the body: the request
  // may have been sent, so a mutation's outcome is unknown; a read is simply unavailable.
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
  const code: BrokerErrorCode = ctx.mutation ? 'ambiguous' : 'unavailable';
  const suffix = ctx.mutation ? ' (outcome unknown: the request may have been applied)' : '';
  return withCause(new BrokerError(code, `${ctx.operation}: ${message}${cause}${suffix}`), err);
}

function withCause(error: BrokerError, cause: unknown): BrokerError {
  Object.defineProperty(error, 'cause', { value: cause, enumerable: false, configurable: true });
  return error;
}
