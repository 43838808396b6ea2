import { describe, expect, it } from 'vitest';
import { actionFamilies, auditDetails, pick } from './audit';

describe('audit events', () => {
  const e = {
    seq: 3,
    at: '2026-01-01T00:00:00Z',
    actor: 'api:127.0.0.1',
    action: 'kill_switch.requested',
    subject_type: 'command',
    subject_id: 'abc',
    hash: 'h',
    data: { commandId: 'abc' },
    reason: null,
  };

  it('picks the first string among candidate keys', () => {
    expect(pick(e, ['occurred_at', 'at'])).toBe('2026-01-01T00:00:00Z');
    expect(pick(e, ['nope'])).toBeNull();
  });

  it('shows what the columns do not, compactly', () => {
    expect(auditDetails(e)).toBe('{"data":{"commandId":"abc"}}');
    expect(auditDetails({ seq: 1, action: 'x' })).toBe('');
    expect(auditDetails({ data: 'x'.repeat(500) }).length).toBe(241);
  });

  it('lists the action families, sorted', () => {
    expect(actionFamilies([e, { action: 'draft.created' }, { action: 'draft.denied' }, { nope: 1 }])).toEqual(
      ['draft', 'kill_switch'],
    );
  });
});
