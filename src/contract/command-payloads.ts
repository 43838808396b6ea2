/**
 * The payload of each command type, as the API writes it to the bus and the engine reads it back:
 * one zod schema per type. The API builds a payload through `commandPayload()` (so it can only
 * write what the engine will read) and each engine handler parses with `parseCommandPayload()`,
 * never casts. Must preserve: these are stored in the commands table and replayed after a
 * restart, so a field is only ever added as optional; a payload that does not parse is rejected
 * by the engine (`invalid_payload`, naming the field), never half-run.
 */
import { z } from 'zod';
import type { CommandType } from '../core/command.js';
import { ORDER_SIDES, TIME_IN_FORCE } from '../core/order.js';

/** A non-negative decimal as a string (the API stores them normalised: "10", "187.25"). */
const decimal = z.string().regex(/^(0|[1-9][0-9]*)(\.[0-9]+)?$/, 'must be a decimal string');

const intentBase = z.object({
  symbol: z.string().min(1),
  side: z.enum(ORDER_SIDES),
  timeInForce: z.enum(TIME_IN_FORCE),
  extendedHours: z.boolean(),
});

/** Exactly one of qty or notional. */
const amount = z.union([
  z.object({ qty: decimal, notional: z.undefined().optional() }),
  z.object({ notional: decimal, qty: z.undefined().optional() }),
]);

/** Each order type with exactly the prices it needs. */
const pricing = z.union([
  z.object({ type: z.literal('market') }),
  z.object({ type: z.literal('limit'), limitPrice: decimal }),
  z.object({ type: z.literal('stop'), stopPrice: decimal }),
  z.object({ type: z.literal('stop_limit'), stopPrice: decimal, limitPrice: decimal }),
  z.object({ type: z.literal('trailing_stop'), trailPrice: decimal, trailPercent: z.undefined().optional() }),
  z.object({ type: z.literal('trailing_stop'), trailPercent: decimal, trailPrice: z.undefined().optional() }),
]);

/**
 * An order intent (core/order-request.ts) as it travels in a submit_order payload; its output is
 * assignable to OrderIntent (the engine relies on it, so the compiler checks the two agree).
 */
export const orderIntentSchema = intentBase.and(amount).and(pricing);

export const submitOrderPayloadSchema = z.object({
  /** The confirmed draft; absent for an order that did not come from a draft. */
  draftId: z.string().min(1).optional(),
  /** The content hash the person confirmed; checked against the draft and the intent. */
  contentHash: z.string().optional(),
  clientOrderId: z.string().optional(),
  intent: orderIntentSchema,
});

export const cancelOrderPayloadSchema = z.object({ orderId: z.string().min(1) });

export const killSwitchPayloadSchema = z.object({
  reason: z.string().optional(),
  /** PAPER or LIVE; the engine checks it against its own environment. */
  confirm_token: z.string(),
});

export const resumePayloadSchema = z.object({
  reason: z.string(),
  confirm_token: z.string(),
});

export const COMMAND_PAYLOADS = {
  submit_order: submitOrderPayloadSchema,
  cancel_order: cancelOrderPayloadSchema,
  kill_switch: killSwitchPayloadSchema,
  resume: resumePayloadSchema,
} as const satisfies Record<CommandType, z.ZodType>;

export type CommandPayload<T extends CommandType> = z.output<(typeof COMMAND_PAYLOADS)[T]>;

/** The payload to store for a command of `type`: checked now, so the engine can read it back. */
export function commandPayload<T extends CommandType>(
  type: T,
  value: z.input<(typeof COMMAND_PAYLOADS)[T]>,
): Record<string, unknown> {
  return COMMAND_PAYLOADS[type].parse(value) as Record<string, unknown>;
}

export type PayloadParse<T extends CommandType> =
  | { ok: true; payload: CommandPayload<T> }
  | { ok: false; field: string; message: string };

/** Parses a payload read off the bus; on failure names the first offending field. */
export function parseCommandPayload<T extends CommandType>(type: T, payload: unknown): PayloadParse<T> {
  const parsed = COMMAND_PAYLOADS[type].safeParse(payload);
  if (parsed.success) return { ok: true, payload: parsed.data as CommandPayload<T> };
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || '(payload)';
  return { ok: false, field, message: `${type} payload: ${field} ${issue?.message ?? 'is invalid'}` };
}
