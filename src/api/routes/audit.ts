/**
 * The audit trail, read-only: GET /audit lists events in chain order with filters (action,
 * actor, correlation id, time range, after_seq paging, limit); GET /audit/verify recomputes the
 * hash chain from the first event, names the first one that does not verify, and returns the
 * head (newest seq and hash). Cutting the newest events leaves a shorter chain that verifies, so
 * a head saved outside the database can be passed back (expect_seq + expect_hash): verify is then
 * ok only if the chain still holds that event with that hash. The tip the store records with every
 * append is checked the same way (`recorded_head`), which catches a cut that did not also rewind it.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type AuditAnchor, type AuditEvent, checkAuditAnchor, verifyAuditChain } from '../../core/audit.js';
import type { AuditQuery } from '../../ports/store.js';
import type { ApiContext } from '../context.js';
import { routeSchema, type ZodJsonSchemaProvider } from '../route-schema.js';
import { bool, nint, nstr, str, timeField, withErrors } from '../schemas.js';

const tags = ['audit'];
const PAGE = 1000;

export const auditEventSchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    at: str,
    actor: str,
    action: str,
    reason: nstr,
    subject_type: nstr,
    subject_id: nstr,
    correlation_id: nstr,
    data: { type: 'object', additionalProperties: true },
    prev_hash: str,
    hash: str,
  },
} as const;

export function auditEventWire(e: AuditEvent): Record<string, unknown> {
  return {
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    reason: e.reason,
    subject_type: e.subjectType,
    subject_id: e.subjectId,
    correlation_id: e.correlationId,
    data: e.data,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

const text = z.string().min(1).max(200);

const auditQuery = z.strictObject({
  action: text.optional(),
  actor: text.optional(),
  correlation_id: text.optional(),
  since: timeField.optional(),
  until: timeField.optional(),
  after_seq: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,14})$/)
    .describe('events after this seq')
    .optional(),
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/)
    .describe('how many at most (1-9999)')
    .optional(),
});
type AuditQuerystring = z.input<typeof auditQuery>;

function toQuery(q: AuditQuerystring): AuditQuery {
  return {
    ...(q.action === undefined ? {} : { action: q.action }),
    ...(q.actor === undefined ? {} : { actor: q.actor }),
    ...(q.correlation_id === undefined ? {} : { correlationId: q.correlation_id }),
    ...(q.since === undefined ? {} : { since: new Date(q.since).toISOString() }),
    ...(q.until === undefined ? {} : { until: new Date(q.until).toISOString() }),
    ...(q.after_seq === undefined ? {} : { afterSeq: Number(q.after_seq) }),
    limit: q.limit === undefined ? 100 : Number(q.limit),
  };
}

/** A saved head to check: both fields or neither (JSON Schema `dependencies`, kept as metadata). */
const verifyQuery = z
  .strictObject({
    expect_seq: z
      .string()
      .regex(/^[1-9][0-9]{0,14}$/)
      .describe('seq of a head saved earlier (a positive integer); needs expect_hash')
      .optional(),
    expect_hash: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/)
      .describe('hash of that event (64 hex characters, SHA-256); needs expect_seq')
      .optional(),
  })
  .meta({ dependencies: { expect_seq: ['expect_hash'], expect_hash: ['expect_seq'] } });
type VerifyQuerystring = z.input<typeof verifyQuery>;

/** The saved head to check against, or null when the request names none (the schema pairs them). */
function anchorOf(q: VerifyQuerystring): AuditAnchor | null {
  if (q.expect_seq === undefined || q.expect_hash === undefined) return null;
  return { seq: Number(q.expect_seq), hash: q.expect_hash.toLowerCase() };
}

const verifyResponse = {
  type: 'object',
  properties: {
    profile_id: str,
    ok: bool,
    events: { type: 'integer' },
    first_broken_seq: nint,
    head: { type: ['object', 'null'], properties: { seq: { type: 'integer' }, hash: str } },
    anchor: {
      type: ['object', 'null'],
      properties: { seq: { type: 'integer' }, hash: str, found: bool, matches: bool },
    },
    recorded_head: { type: ['object', 'null'], properties: { seq: { type: 'integer' }, hash: str } },
    recorded_head_matches: bool,
  },
} as const;

/** Every event of the profile in chain order, read in pages. */
async function wholeChain(ctx: ApiContext): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (;;) {
    const page = await ctx.store.audit.list(ctx.profileId, {
      afterSeq: events.at(-1)?.seq ?? 0,
      limit: PAGE,
    });
    events.push(...page);
    if (page.length < PAGE) return events;
  }
}

export function registerAuditRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const querystring = routeSchema(auditQuery);
  const list = {
    type: 'object',
    properties: {
      profile_id: str,
      events: { type: 'array', items: auditEventSchema },
      next_after_seq: nint,
    },
  };
  app.withTypeProvider<ZodJsonSchemaProvider>().get(
    '/audit',
    {
      schema: {
        tags,
        summary: 'Audit events in chain order, filtered',
        querystring,
        response: withErrors({ 200: list }),
      },
    },
    async (request) => {
      const query = toQuery(request.query);
      const events = await ctx.store.audit.list(ctx.profileId, query);
      const full = events.length === query.limit;
      return {
        profile_id: ctx.profileId,
        events: events.map(auditEventWire),
        next_after_seq: full ? (events.at(-1)?.seq ?? null) : null,
      };
    },
  );
  app.withTypeProvider<ZodJsonSchemaProvider>().get(
    '/audit/verify',
    {
      schema: {
        tags,
        summary:
          'Recompute the hash chain; names the first event that does not verify, returns the head, checks a saved head',
        querystring: routeSchema(verifyQuery),
        response: withErrors({ 200: verifyResponse }),
      },
    },
    async (request) => {
      const anchor = anchorOf(request.query);
      const recorded = await ctx.store.audit.recordedHead(ctx.profileId);
      const events = await wholeChain(ctx);
      const broken = verifyAuditChain(events);
      const check = anchor === null ? null : checkAuditAnchor(events, anchor);
      const last = events.at(-1);
      // The tip the store recorded at the last append (read first: appends since only extend the
      // chain) must still be in it: removing the newest events without also rewinding that tip
      // shows here, with no saved head needed.
      const tipMatches = recorded === null ? events.length === 0 : checkAuditAnchor(events, recorded).matches;
      return {
        profile_id: ctx.profileId,
        ok: broken === null && tipMatches && (check === null || check.matches),
        events: events.length,
        first_broken_seq: broken,
        head: last === undefined ? null : { seq: last.seq, hash: last.hash },
        anchor: check,
        recorded_head: recorded,
        recorded_head_matches: tipMatches,
      };
    },
  );
}
