/**
 * The audit trail: append-only events of who did what, when, why, and what the system decided.
 * Each event carries the hash of the one before it (per profile), so an edited or removed row
 * breaks the chain and `verifyAuditChain` points at it. Removing the newest events leaves a
 * shorter chain that still verifies, so an operator keeps a head (seq and hash) outside the
 * database and `checkAuditAnchor` says whether the chain still holds that event unchanged.
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

/** What `auditHash` produces: a SHA-256 digest as 64 lowercase hex characters. */
export const AUDIT_HASH_PATTERN = /^[0-9a-f]{64}$/;

/** A point of the chain saved outside the database: an event's seq and the hash it had. */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

export interface AnchorCheck extends AuditAnchor {
  /** The chain has an event with this seq. */
  found: boolean;
  /** ...and its hash is the one saved. */
  matches: boolean;
}

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

/**
 * Whether the chain still holds the anchored event with the saved hash. Together with an intact
 * chain (`verifyAuditChain`), a match proves every event up to the anchor is unchanged; a missing
 * event means the tail was cut, a different hash that it was rewritten.
 */
export function checkAuditAnchor(
  events: readonly Pick<AuditEvent, 'seq' | 'hash'>[],
  anchor: AuditAnchor,
): AnchorCheck {
  const event = events.find((e) => e.seq === anchor.seq);
  return { ...anchor, found: event !== undefined, matches: event?.hash === anchor.hash };
}
