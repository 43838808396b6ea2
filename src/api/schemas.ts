/**
 * Schemas of the wire shapes (presenters.ts) and of shared request fields. Routes compose them;
 * @fastify/swagger turns them into the OpenAPI document at /docs. Request fields are zod (see
 * route-schema.ts: one definition for validation, OpenAPI and handler types); the reply shapes
 * reply shapes are zod too (wire-schemas.ts), registered once and referenced here; the
 * route-local reply shapes below them are still plain JSON Schema.
 */
import { z } from 'zod';
import { nullableRef, ref } from './wire-schemas.js';

/** The optional profile a command names (it must be the API's own). */
export const profileIdField = z.string().min(1).max(64);
/** The typed environment that arms the kill switch and resume. */
export const confirmTokenField = z
  .string()
  .max(16)
  .describe('PAPER or LIVE: the environment the engine runs in');
/** A strictly positive decimal amount as a string: up to 12 integer and 9 fractional digits. */
export const decimalField = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,11})(\.[0-9]{1,9})?$/)
  .describe('a positive decimal number as a string, e.g. "10" or "187.25"');
export const symbolField = z.string().regex(/^[A-Za-z][A-Za-z0-9./-]{0,19}$/);
export const limitField = z
  .string()
  .regex(/^[1-9][0-9]{0,2}$/)
  .describe('how many items at most (1-999)');
/** An RFC 3339 timestamp, checked by ajv's date-time format. */
export const timeField = z.string().meta({ format: 'date-time', description: 'an RFC 3339 timestamp' });
/** A printable ASCII token without spaces (ids, idempotency keys). */
export const tokenPattern = /^[\x21-\x7e]+$/;
export const str = { type: 'string' } as const;
export const nstr = { type: ['string', 'null'] } as const;
export const bool = { type: 'boolean' } as const;
export const nint = { type: ['integer', 'null'] } as const;

/** The shared reply shapes (wire-schemas.ts), by reference. */
export const positionSchema = ref('Position');
export const orderSchema = ref('Order');
export const fillSchema = ref('Fill');
export const commandSchema = ref('Command');
export const commandReplySchema = ref('CommandReply');
export const accountSchema = nullableRef('Account');

/** Response schemas plus the error body for 4xx and 5xx answers. */
export function withErrors(responses: Record<number, object>): Record<string, object> {
  return { ...responses, '4xx': ref('ApiError'), '5xx': ref('ApiError') };
}
