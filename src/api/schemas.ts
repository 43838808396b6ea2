/**
 * JSON schemas of the wire shapes (presenters.ts) and of shared query fields. Routes compose
 * them; @fastify/swagger turns them into the OpenAPI document at /docs.
 */
export const str = { type: 'string' } as const;
export const nstr = { type: ['string', 'null'] } as const;
export const bool = { type: 'boolean' } as const;
export const nint = { type: ['integer', 'null'] } as const;

/** A strictly positive decimal amount as a string: up to 12 integer and 9 fractional digits. */
export const decimalString = {
  type: 'string',
  pattern: '^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,9})?$',
  description: 'a positive decimal number as a string, e.g. "10" or "187.25"',
} as const;

const props = (names: string[], schema: object) => Object.fromEntries(names.map((n) => [n, schema]));

export const positionSchema = {
  type: 'object',
  properties: {
    ...props(['symbol', 'qty', 'side', 'avg_entry_price', 'cost_basis', 'as_of'], str),
    ...props(
      [
        'asset_id',
        'current_price',
        'lastday_price',
        'market_value',
        'unrealized_pl',
        'unrealized_plpc',
        'unrealized_intraday_pl',
      ],
      nstr,
    ),
    provenance: { type: 'string', enum: ['confirmed', 'provisional'] },
  },
} as const;

export const orderSchema = {
  type: 'object',
  properties: {
    ...props(
      [
        'id',
        'client_order_id',
        'symbol',
        'asset_class',
        'side',
        'type',
        'time_in_force',
        'order_class',
        'filled_qty',
        'status',
        'created_at',
      ],
      str,
    ),
    ...props(
      [
        'qty',
        'notional',
        'filled_avg_price',
        'limit_price',
        'stop_price',
        'trail_price',
        'trail_percent',
        'updated_at',
        'submitted_at',
        'filled_at',
        'canceled_at',
        'expired_at',
        'failed_at',
        'replaced_at',
        'replaced_by',
        'replaces',
      ],
      nstr,
    ),
    extended_hours: bool,
  },
} as const;

export const fillSchema = {
  type: 'object',
  properties: {
    ...props(['execution_id', 'order_id', 'symbol', 'side', 'qty', 'price', 'at', 'source'], str),
    ...props(['client_order_id', 'position_qty'], nstr),
  },
} as const;

const freeObject = { type: 'object', additionalProperties: true } as const;

export const commandSchema = {
  type: 'object',
  properties: {
    ...props(
      ['id', 'profile_id', 'type', 'status', 'actor', 'correlation_id', 'created_at', 'updated_at'],
      str,
    ),
    ...props(['idempotency_key', 'started_at', 'finished_at', 'expires_at'], nstr),
    payload: freeObject,
    result: { type: ['object', 'null'], additionalProperties: true },
    error: {
      type: ['object', 'null'],
      properties: { code: str, message: str },
    },
    attempts: { type: 'integer' },
  },
} as const;

export const commandReplySchema = {
  type: 'object',
  properties: { command: commandSchema, replayed: bool },
} as const;

export const tradingStateSchema = {
  type: 'object',
  properties: {
    state: { type: 'string', enum: ['ACTIVE', 'REDUCING', 'HALTED'] },
    reason: str,
    changed_by: nstr,
    changed_at: nstr,
  },
} as const;

export const engineSchema = {
  type: ['object', 'null'],
  properties: {
    ...props(['environment', 'holder', 'version', 'stream_state', 'heartbeat_at'], str),
    ...props(['last_event_at', 'last_sync_at'], nstr),
    heartbeat_age_ms: { type: 'integer' },
    lag_ms: nint,
  },
} as const;

export const accountSchema = {
  type: ['object', 'null'],
  properties: {
    ...props(
      [
        'as_of',
        'status',
        'currency',
        'equity',
        'cash',
        'buying_power',
        'last_equity',
        'long_market_value',
        'short_market_value',
        'day_pl',
        'source',
      ],
      str,
    ),
    day_pl_pct: nstr,
    trading_blocked: bool,
    account_blocked: bool,
  },
} as const;

/** The optional profile a command names (it must be the API's own). */
export const profileIdProperty = { type: 'string', minLength: 1, maxLength: 64 } as const;
/** The typed environment that arms the kill switch and resume. */
export const confirmTokenProperty = {
  type: 'string',
  maxLength: 16,
  description: 'PAPER or LIVE: the environment the engine runs in',
} as const;

export const symbolQuery = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9./-]{0,19}$' } as const;
export const limitQuery = {
  type: 'string',
  pattern: '^[1-9][0-9]{0,2}$',
  description: 'how many items at most (1-999)',
} as const;
export const timeQuery = {
  type: 'string',
  format: 'date-time',
  description: 'an RFC 3339 timestamp',
} as const;

/** Response schemas plus the error body for 4xx and 5xx answers. */
export function withErrors(responses: Record<number, object>): Record<string, object> {
  return { ...responses, '4xx': { $ref: 'ApiError#' }, '5xx': { $ref: 'ApiError#' } };
}
