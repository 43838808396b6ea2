import { describe, expect, it } from 'vitest';
import {
  AUDIT_HASH_PATTERN,
  type AuditEventInput,
  chainAuditEvent,
  checkAuditAnchor,
  GENESIS_HASH,
  verifyAuditChain,
} from './audit.js';

function input(action: string, data: Record<string, unknown> = {}): AuditEventInput {
  return {
    profileId: 'default',
    at: '2026-08-03T13:00:00Z',
    actor: 'api:alice',
    action,
    reason: null,
    subjectType: 'draft',
    subjectId: 'd-1',
    correlationId: 'req-1',
    data,
  };
}

describe('audit chain', () => {
  const first = chainAuditEvent(null, input('draft.created', { qty: '10' }));
  const second = chainAuditEvent(first, input('draft.confirmed'));
  const third = chainAuditEvent(second, input('order.submitted'));

  it('links each event to the hash of the one before', () => {
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(verifyAuditChain([first, second, third])).toBeNull();
  });

  it('hashes the same content the same way whatever the key order', () => {
    const a = chainAuditEvent(null, input('x', { a: 1, b: 2 }));
    const b = chainAuditEvent(null, input('x', { b: 2, a: 1 }));
    expect(a.hash).toBe(b.hash);
  });

  it('shows an edited event', () => {
    const edited = { ...second, data: { qty: '1000' } };
    expect(verifyAuditChain([first, edited, third])).toBe(2);
  });

  it('shows a removed event', () => {
    expect(verifyAuditChain([first, third])).toBe(3);
  });

  it('hashes to 64 lowercase hex characters', () => {
    expect(first.hash).toMatch(AUDIT_HASH_PATTERN);
  });

  it('matches a saved head while the chain only grows', () => {
    const head = { seq: second.seq, hash: second.hash };
    expect(checkAuditAnchor([first, second], head)).toEqual({ ...head, found: true, matches: true });
    expect(checkAuditAnchor([first, second, third], head)).toMatchObject({ found: true, matches: true });
  });

  it('shows a cut tail as a missing anchor, though the shorter chain verifies', () => {
    const head = { seq: third.seq, hash: third.hash };
    expect(verifyAuditChain([first, second])).toBeNull();
    expect(checkAuditAnchor([first, second], head)).toMatchObject({ found: false, matches: false });
  });

  it('shows a rewritten tail as an anchor whose hash differs', () => {
    const rewritten = chainAuditEvent(second, input('order.cancelled'));
    expect(verifyAuditChain([first, second, rewritten])).toBeNull();
    const head = { seq: third.seq, hash: third.hash };
    expect(checkAuditAnchor([first, second, rewritten], head)).toMatchObject({ found: true, matches: false });
  });
});
