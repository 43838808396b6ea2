/**
 * The audit trail: append-only events of who did what, when, why, and what the system decided.
 * Each event carries the hash of the one before it (per profile), so an edited or removed row
 * breaks the chain and `verifyAuditChain` points at it.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { Timestamp } from './time.js';

export interface AuditEventInput {
  profileId: string;
  at: Timestamp;
  actor: string;
  action: string;
  reason: string | null;
  subjectType: string | null;
  subjectId: string | null;
  correlationId: string | null;
  data: Readonly<Record<string, unknown>>;
}

export interface AuditEvent extends AuditEventInput {
  /** Position in the profile's chain, starting at 1. */
  seq: number;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export function auditHash(prevHash: string, seq: number, event: AuditEventInput): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalJson({ seq, ...event }))
    .digest('hex');
}

/** Links a new event to the chain after `previous` (null for the first event of a profile). */
export function chainAuditEvent(
  previous: Pick<AuditEvent, 'seq' | 'hash'> | null,
  input: AuditEventInput,
): AuditEvent {
  const seq = (previous?.seq ?? 0) + 1;
  const prevHash = previous?.hash ?? GENESIS_HASH;
  return { ...input, seq, prevHash, hash: auditHash(prevHash, seq, input) };
}

/** Returns the seq of the first event whose link or hash does not verify, or null when intact. */
export function verifyAuditChain(events: readonly AuditEvent[]): number | null {
  let prev: Pick<AuditEvent, 'seq' | 'hash'> = { seq: 0, hash: GENESIS_HASH };
  for (const event of events) {
    const { seq, prevHash, hash, ...input } = event;
    if (seq !== prev.seq + 1 || prevHash !== prev.hash || hash !== auditHash(prevHash, seq, input))
      return seq;
    prev = event;
  }
  return null;
}
