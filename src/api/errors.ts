/**
 * The API's one error catalogue and its one error handler. Every error answer has the body
 * `{"error": {"code", "message", "details"}}` with a stable `code` from ERROR_CATALOGUE; the
 * catalogue is documented in docs/api.md and a test keeps the two in step. Bad input is always
 * a 4xx naming the offending field; a database that cannot be reached is a 503
 * `database_unavailable` (its message never carries an address or driver text); anything else
 * unexpected is a logged 500 `internal_error`.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../adapters/storage/errors.js';

export interface CatalogueEntry {
  status: number;
  message: string;
}

export const ERROR_CATALOGUE = {
  malformed_json: { status: 400, message: 'The request body is not valid JSON.' },
  bad_request: { status: 400, message: 'The request could not be read.' },
  unauthorized: {
    status: 401,
    message: 'A valid bearer token is required: send Authorization: Bearer <API_TOKEN>.',
  },
  origin_not_allowed: {
    status: 403,
    message:
      'Cross-site request refused: a state-changing request must come from an allowed origin (see API_ALLOWED_HOSTS).',
  },
  route_not_found: { status: 404, message: 'No such route.' },
  command_not_found: { status: 404, message: 'No command with this id for this profile.' },
  draft_not_found: { status: 404, message: 'No draft with this id for this profile.' },
  draft_denied: { status: 409, message: 'The draft was denied by the risk checks and cannot be confirmed.' },
  draft_already_executed: {
    status: 409,
    message: 'The draft was already confirmed and its command has finished; stage a new draft.',
  },
  environment_mismatch: {
    status: 409,
    message: 'The API and the engine run in different environments (paper/live); commands are refused.',
  },
  idempotency_key_reused: {
    status: 409,
    message: 'This Idempotency-Key was already used for a different request.',
  },
  draft_integrity_failed: {
    status: 409,
    message: 'The stored draft does not match its content hash; it was not confirmed. Stage a new draft.',
  },
  draft_expired: { status: 410, message: 'The draft has expired; stage a new one.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, message: 'Send the request body as application/json.' },
  host_not_allowed: {
    status: 421,
    message:
      'This server does not answer for the host named in the request; use a loopback address or a host in API_ALLOWED_HOSTS.',
  },
  validation_failed: { status: 422, message: 'The request is invalid.' },
  profile_not_served: { status: 422, message: 'This deployment does not serve the profile named.' },
  confirm_phrase_invalid: {
    status: 422,
    message: "Live trading needs confirm_phrase: the draft's order typed as SIDE QTY SYMBOL.",
  },
  confirm_token_invalid: {
    status: 422,
    message:
      'The kill switch and resume need confirm_token equal to the environment the engine runs in (PAPER or LIVE).',
  },
  internal_error: { status: 500, message: 'An unexpected error occurred; it has been logged.' },
  bus_unavailable: {
    status: 503,
    message: 'The command bus is unavailable; commands are refused until it is back (reads still work).',
  },
  database_unavailable: {
    status: 503,
    message: 'The database cannot be reached right now; try again shortly.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export type ErrorDetails = Record<string, unknown>;

/** An error with a catalogue code; the handler turns it into the error body. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly details: ErrorDetails = {},
    message?: string,
  ) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.name = 'ApiError';
    this.status = ERROR_CATALOGUE[code].status;
  }
}

export interface FieldProblem {
  field: string;
  in: string;
  message: string;
}

/** A 422 naming fields; used by checks that JSON schema cannot express (cross-field rules). */
export function invalid(problems: FieldProblem[]): ApiError {
  const summary = problems.map((p) => `${p.field} ${p.message}`).join('; ');
  return new ApiError('validation_failed', { fields: problems }, `Invalid request: ${summary}.`);
}

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Names the field an ajv issue is about ("qty", "limit_price", "filters.symbol"). */
function fieldOf(issue: AjvIssue): string {
  const path = (issue.instancePath ?? '').split('/').filter(Boolean);
  const extra = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  if (typeof extra === 'string') path.push(extra);
  return path.join('.') || '(root)';
}

function messageOf(issue: AjvIssue): string {
  if (issue.keyword === 'additionalProperties') return 'is not a known field';
  if (issue.keyword === 'required') return 'is required';
  if (issue.keyword === 'enum' && Array.isArray(issue.params?.allowedValues)) {
    return `must be one of ${(issue.params.allowedValues as unknown[]).join(', ')}`;
  }
  return issue.message ?? 'is invalid';
}

export function fromValidation(error: FastifyError): ApiError {
  const where = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body');
  const problems = (error.validation ?? []).map((issue) => ({
    field: fieldOf(issue as AjvIssue),
    in: where,
    message: messageOf(issue as AjvIssue),
  }));
  return invalid(problems);
}

/** Maps any thrown error to a catalogue error; unknown ones become internal_error. */
export function toApiError(error: FastifyError | Error): ApiError {
  if (error instanceof ApiError) return error;
  const e = error as FastifyError;
  if (e.validation) return fromValidation(e);
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('malformed_json', {}, `The request body is not valid JSON: ${e.message}`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('unsupported_media_type');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('payload_too_large');
  }
  if (isDatabaseUnavailable(error)) return new ApiError('database_unavailable');
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new ApiError('bad_request', {}, `The request could not be read: ${e.message}`);
  }
  return new ApiError('internal_error');
}

export function errorBody(error: ApiError): {
  error: { code: string; message: string; details: ErrorDetails };
} {
  return { error: { code: error.code, message: error.message, details: error.details } };
}

/** Installs the one error handler and the 404 handler. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(error);
    if (apiError.code === 'database_unavailable') request.log.warn({ err: error }, 'database unavailable');
    else if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: apiError.code }, apiError.message);
    return reply.status(apiError.status).send(errorBody(apiError));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new ApiError('route_not_found', { method: request.method, url: request.url.split('?')[0] });
    return reply.status(404).send(errorBody(error));
  });
}
