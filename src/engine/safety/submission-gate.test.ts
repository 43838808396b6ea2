import { describe, expect, it } from 'vitest';
import { SubmissionGate } from './submission-gate.js';

describe('submission gate', () => {
  it('refuses entry once closed, and drains only when every submission inside has left', async () => {
    const gate = new SubmissionGate();
    const first = gate.enter();
    const second = gate.enter();
    expect(first).not.toBeNull();
    gate.close('kill switch k1');
    expect(gate.enter()).toBeNull();
    expect(gate.closedBy).toBe('kill switch k1');
    let drained = false;
    const waiting = gate.drained().then(() => {
      drained = true;
    });
    first?.();
    first?.(); // leaving twice counts once
    await Promise.resolve();
    expect(drained).toBe(false);
    expect(gate.inFlight).toBe(1);
    second?.();
    await waiting;
    expect(drained).toBe(true);
    gate.open();
    expect(gate.enter()).not.toBeNull();
  });

  it('keeps the first reason it was closed for', () => {
    const gate = new SubmissionGate();
    gate.close('kill switch a');
    gate.close('loss limit');
    expect(gate.closedBy).toBe('kill switch a');
  });
});
