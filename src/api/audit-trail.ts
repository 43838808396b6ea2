/**
 * What the API writes to the append-only audit chain: every draft (created or denied), confirm,
 * kill-switch, resume and cancel request, a confirm refused because the stored draft was edited,
 * and every refusal of a command request (input errors and pre-routing refusals aside). Actions are written in the same transaction as the state they describe, so a stored
 * draft or command always has its audit event and vice versa.
 *
 * Correlation: an event's `correlationId` is the id of the HTTP request (x-request-id), which is
 * also the `correlationId` of the command that request created; the engine appends its events
 * (submit, broker answers, fills) under the command's correlation id. Draft ids, command ids and
 * client order ids travel in `data`. The actor is `api:<remote address>`, or
 * `api:token@<remote address>` when the request was authenticated with API_TOKEN (never the
 * token itself).
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { AUDIT_ACTIONS, type AuditAction } from '../contract/audit-actions.js';
import type { AuditEventInput } from '../core/audit.js';
import type { ApiContext } from './context.js';
import { toApiError } from './errors.js';

/**
 * Error codes not recorded as `request.refused`: input mistakes (logged, not audited), requests
 * refused before they are read (host, origin, token: a foreign page must not be able to fill the
 * audit chain), a database that is down (the append would fail too), and refusals audited where
 * they are raised (draft_integrity_failed -> draft.integrity_failed).
 */
const NOT_AUDITED: ReadonlySet<string> = new Set([
  'host_not_allowed',
  'origin_not_allowed',
  'database_unavailable',
  'draft_integrity_failed',
  'validation_failed',
  'malformed_json',
  'bad_request',
  'unsupported_media_type',
  'payload_too_large',
  'route_not_found',
  'unauthorized',
  'internal_error',
]);

/** Who made the request, as the audit trail names it. */
export function actorOf(ctx: ApiContext, request: FastifyRequest): string {
  const where = request.ip || 'unknown';
  return ctx.config.api.token === null ? `api:${where}` : `api:token@${where}`;
}

export interface AuditRecord {
  action: AuditAction;
  actor: string;
  reason: string | null;
  subjectType: string | null;
  subjectId: string | null;
  correlationId: string;
  data: Record<string, unknown>;
}

export function auditEvent(ctx: ApiContext, record: AuditRecord): AuditEventInput {
  return { profileId: ctx.profileId, at: ctx.clock.timestamp(), ...record };
}

function bodyField(request: FastifyRequest, name: string): string | null {
  const body = request.body;
  if (body === null || typeof body !== 'object') return null;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.slice(0, 200) : null;
}

/** Records refusals of command requests (POST /commands/...) as `request.refused` events. */
export function installRefusalAudit(app: FastifyInstance, ctx: ApiContext): void {
  app.addHook('onError', async (request, _reply, error: FastifyError) => {
    if (request.method !== 'POST' || !request.url.startsWith('/commands/')) return;
    const apiError = toApiError(error);
    if (NOT_AUDITED.has(apiError.code)) return;
    const draftId = bodyField(request, 'draft_id');
    try {
      await ctx.store.audit.append(
        auditEvent(ctx, {
          action: AUDIT_ACTIONS.requestRefused,
          actor: actorOf(ctx, request),
          reason: apiError.message,
          subjectType: draftId === null ? 'request' : 'draft',
          subjectId: draftId ?? request.id,
          correlationId: request.id,
          data: {
            route: request.url.split('?')[0],
            code: apiError.code,
            status: apiError.status,
            details: apiError.details,
          },
        }),
      );
    } catch (auditError) {
      request.log.error({ err: auditError }, 'could not record a refusal in the audit trail');
    }
  });
}
