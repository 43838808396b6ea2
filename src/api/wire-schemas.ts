/**
 * The wire shapes presenters.ts builds, as zod: one definition for the reply schemas Fastify
 * serializes with (fast-json-stringify keeps only declared fields), the OpenAPI components at
 * /docs (named by `$id`: Position, Order, ...) and, through openapi-typescript, the UI's types.
 * The SSE payloads may reuse them. Must preserve: every field the presenters write is declared
 * here and required (present, possibly null), so the UI's generated types are exact.
 */
import { z } from 'zod';
import { COMMAND_STATUSES, COMMAND_TYPES } from '../contract/commands.js';
import { DRAFT_STATUSES } from '../core/draft.js';
import { ORDER_SIDES, ORDER_STATUSES, ORDER_TYPES, TIME_IN_FORCE } from '../core/order.js';
import { TRADING_STATES } from '../core/trading-state.js';
import { ERROR_CATALOGUE } from './errors.js';
import { replySchema } from './route-schema.js';

const str = z.string();
const nstr = z.string().nullable();
const freeObject = z.record(z.string(), z.unknown());

export const positionWireSchema = z.object({
  symbol: str,
  asset_id: nstr,
  qty: str,
  side: z.enum(['long', 'short']),
  avg_entry_price: str,
  cost_basis: str,
  current_price: nstr,
  lastday_price: nstr,
  market_value: nstr,
  unrealized_pl: nstr,
  unrealized_plpc: nstr,
  unrealized_intraday_pl: nstr,
  as_of: str,
  provenance: z.enum(['confirmed', 'provisional']),
});

export const orderWireSchema = z.object({
  id: str,
  client_order_id: str,
  symbol: str,
  asset_class: str,
  side: z.enum(ORDER_SIDES),
  type: z.enum(ORDER_TYPES),
  time_in_force: z.enum(TIME_IN_FORCE),
  order_class: str,
  qty: nstr,
  notional: nstr,
  filled_qty: str,
  filled_avg_price: nstr,
  limit_price: nstr,
  stop_price: nstr,
  trail_price: nstr,
  trail_percent: nstr,
  extended_hours: z.boolean(),
  status: z.enum(ORDER_STATUSES),
  created_at: str,
  updated_at: nstr,
  submitted_at: nstr,
  filled_at: nstr,
  canceled_at: nstr,
  expired_at: nstr,
  failed_at: nstr,
  replaced_at: nstr,
  replaced_by: nstr,
  replaces: nstr,
});

export const fillWireSchema = z.object({
  execution_id: str,
  order_id: str,
  client_order_id: nstr,
  symbol: str,
  side: z.enum(ORDER_SIDES),
  qty: str,
  price: str,
  at: str,
  position_qty: nstr,
  source: z.enum(['stream', 'activity']),
});

export const commandWireSchema = z.object({
  id: str,
  profile_id: str,
  type: z.enum(COMMAND_TYPES),
  payload: freeObject,
  actor: str,
  idempotency_key: nstr,
  correlation_id: str,
  status: z.enum(COMMAND_STATUSES),
  result: freeObject.nullable(),
  error: z.object({ code: str, message: str }).nullable(),
  attempts: z.number().int(),
  created_at: str,
  updated_at: str,
  started_at: nstr,
  finished_at: nstr,
  expires_at: nstr,
});

export const commandReplyWireSchema = z.object({ command: commandWireSchema, replayed: z.boolean() });

export const tradingStateWireSchema = z.object({
  state: z.enum(TRADING_STATES),
  reason: str,
  changed_by: nstr,
  changed_at: nstr,
});

export const engineWireSchema = z.object({
  environment: z.enum(['paper', 'live']),
  holder: str,
  version: str,
  stream_state: str,
  heartbeat_at: str,
  heartbeat_age_ms: z.number().int(),
  last_event_at: nstr,
  last_sync_at: nstr,
  lag_ms: z.number().int().nullable(),
});

export const accountWireSchema = z.object({
  as_of: str,
  status: str,
  currency: str,
  equity: str,
  cash: str,
  buying_power: str,
  last_equity: str,
  long_market_value: str,
  short_market_value: str,
  day_pl: str,
  day_pl_pct: nstr,
  trading_blocked: z.boolean(),
  account_blocked: z.boolean(),
  source: str,
});

const environment = z.enum(['paper', 'live']);

export const profileWireSchema = z.object({
  profile_id: str,
  environment: environment
    .nullable()
    .describe('the environment the engine reports (null before its first heartbeat)'),
  api_environment: environment,
  environment_match: z.boolean().nullable(),
  engine: engineWireSchema.nullable(),
  trading_state: tradingStateWireSchema,
});

export const pnlPointWireSchema = z.object({
  at: str,
  equity: str,
  cash: str,
  pl: str,
  pl_pct: nstr,
  day_pl: str,
  source: str,
});

export const riskCheckWireSchema = z.object({ check: str, passed: z.boolean(), code: nstr, message: str });

export const draftWireSchema = z.object({
  id: str,
  profile_id: str,
  status: z.enum(DRAFT_STATUSES),
  intent: freeObject,
  content_hash: str,
  created_at: str,
  expires_at: str,
  preview: z.object({
    estimated_price: nstr,
    estimated_notional: nstr,
    share_of_equity: nstr,
    buying_power_after: nstr,
    resulting_position_qty: str,
  }),
  verdict: z.object({ allowed: z.boolean(), checks: z.array(riskCheckWireSchema) }),
  command_id: nstr,
});

export const errorWireSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_CATALOGUE) as [keyof typeof ERROR_CATALOGUE]),
    message: str,
    details: freeObject,
  }),
});

/** The shared reply schemas by `$id`: registered once on the app, referenced as `{ $ref: 'Order#' }`. */
const SHARED = {
  ApiError: errorWireSchema,
  Position: positionWireSchema,
  Order: orderWireSchema,
  Fill: fillWireSchema,
  Command: commandWireSchema,
  CommandReply: commandReplyWireSchema,
  TradingState: tradingStateWireSchema,
  Engine: engineWireSchema,
  Account: accountWireSchema,
  Profile: profileWireSchema,
  PnlPoint: pnlPointWireSchema,
  RiskCheck: riskCheckWireSchema,
  Draft: draftWireSchema,
} as const;

export type SharedSchemaId = keyof typeof SHARED;

/** A reference to a shared reply schema (commandReplyWireSchema's `command` is inlined). */
export const ref = (id: SharedSchemaId) => ({ $ref: `${id}#` }) as const;

/** A shared schema or null (e.g. no engine heartbeat yet). */
export const nullableRef = (id: SharedSchemaId) => ({ anyOf: [ref(id), { type: 'null' }] }) as const;

export function sharedSchemas(): Array<Record<string, unknown>> {
  return Object.entries(SHARED).map(([$id, schema]) => ({ $id, ...replySchema(schema) }));
}
