import { describe, expect, it } from 'vitest';
import { type Command, canTransitionCommand, isTerminalCommandStatus, transitionCommand } from './command.js';

const queued: Command = {
  id: 'cmd-1',
  profileId: 'default',
  type: 'submit_order',
  payload: { draftId: 'd-1' },
  actor: 'api:alice',
  idempotencyKey: null,
  correlationId: 'req-1',
  status: 'queued',
  result: null,
  error: null,
  attempts: 0,
  createdAt: '2026-08-03T13:00:00Z',
  updatedAt: '2026-08-03T13:00:00Z',
  startedAt: null,
  finishedAt: null,
  expiresAt: '2026-08-03T13:01:00Z',
};

describe('command lifecycle', () => {
  it('runs a queued command and records its success', () => {
    const running = transitionCommand(queued, { status: 'running' }, '2026-08-03T13:00:01Z');
    expect(running).toMatchObject({ status: 'running', attempts: 1, startedAt: '2026-08-03T13:00:01Z' });
    const done = transitionCommand(
      running,
      { status: 'succeeded', result: { orderId: 'o-1' } },
      '2026-08-03T13:00:02Z',
    );
    expect(done).toMatchObject({ status: 'succeeded', result: { orderId: 'o-1' }, error: null });
    expect(done.finishedAt).toBe('2026-08-03T13:00:02Z');
  });

  it('lets a redelivered running command run again, counting the attempt', () => {
    const running = transitionCommand(queued, { status: 'running' }, '2026-08-03T13:00:01Z');
    expect(transitionCommand(running, { status: 'running' }, '2026-08-03T13:00:05Z').attempts).toBe(2);
  });

  it('never leaves a terminal status', () => {
    const expired = transitionCommand(
      queued,
      { status: 'expired', error: { code: 'command_expired', message: 'too late' } },
      '2026-08-03T13:02:00Z',
    );
    expect(expired.error?.code).toBe('command_expired');
    expect(() => transitionCommand(expired, { status: 'running' }, '2026-08-03T13:02:01Z')).toThrow(
      /not allowed/,
    );
    for (const s of ['succeeded', 'failed', 'rejected', 'expired'] as const) {
      expect(isTerminalCommandStatus(s)).toBe(true);
      expect(canTransitionCommand(s, 'running')).toBe(false);
    }
  });

  it('does not let a queued command succeed without running', () => {
    expect(canTransitionCommand('queued', 'succeeded')).toBe(false);
    expect(canTransitionCommand('queued', 'rejected')).toBe(true);
  });
});
