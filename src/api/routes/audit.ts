/**
 * The audit trail, read-only: GET /audit lists events in chain order with filters (action,
 * actor, correlation id, time range, after_seq paging, limit); GET /audit/verify recomputes the
 * hash chain from the first event and names the first one that does not verify.
 */
import type { FastifyInstance } from 'fastify';
import { type AuditEvent, verifyAuditChain } from '../../core/audit.js';
import type { AuditQuery } from '../../ports/store.js';
import type { ApiContext } from '../context.js';
import { bool, nint, nstr, str, timeQuery, withErrors } from '../schemas.js';

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

interface AuditQuerystring {
  action?: string;
  actor?: string;
  correlation_id?: string;
  since?: string;
  until?: string;
  after_seq?: string;
  limit?: string;
}

const text = { type: 'string', minLength: 1, maxLength: 200 } as const;

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
  const querystring = {
    type: 'object',
    additionalProperties: false,
    properties: {
      action: text,
      actor: text,
      correlation_id: text,
      since: timeQuery,
      until: timeQuery,
      after_seq: { type: 'string', pattern: '^(0|[1-9][0-9]{0,14})$', description: 'events after this seq' },
      limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$', description: 'how many at most (1-9999)' },
    },
  };
  const list = {
    type: 'object',
    properties: {
      profile_id: str,
      events: { type: 'array', items: auditEventSchema },
      next_after_seq: nint,
    },
  };
  app.get<{ Querystring: AuditQuerystring }>(
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
  const verify = {
    type: 'object',
    properties: { profile_id: str, ok: bool, events: { type: 'integer' }, first_broken_seq: nint },
  };
  app.get(
    '/audit/verify',
    {
      schema: {
        tags,
        summary: 'Recompute the hash chain; names the first event that does not verify',
        response: withErrors({ 200: verify }),
      },
    },
    async () => {
      const events = await wholeChain(ctx);
      const broken = verifyAuditChain(events);
      return {
        profile_id: ctx.profileId,
        ok: broken === null,
        events: events.length,
        first_broken_seq: broken,
      };
    },
  );
}
