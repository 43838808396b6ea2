/**
 * The audit action catalogue (src/contract/audit-actions.ts) and docs/api.md's audit section list
 * the same actions: every catalogued action is documented, and the docs name none that is not.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LIST, AUDIT_CATALOGUE } from '../../src/contract/audit-actions.js';

const api = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

/** The first cell of every table row in the "Audit trail" section: `| \`draft.created\` |`. */
function documentedActions(): string[] {
  const start = api.indexOf('### Audit trail');
  const end = api.indexOf('\n### ', start + 1);
  const section = api.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^\| `([a-z_]+\.[a-z_]+)`/gm)].map((m) => m[1] as string);
}

describe('the audit action catalogue', () => {
  it('is documented in docs/api.md, action for action', () => {
    const documented = new Set(documentedActions());
    expect([...AUDIT_ACTION_LIST].filter((a) => !documented.has(a))).toEqual([]);
    expect([...documented].filter((a) => !(AUDIT_ACTION_LIST as readonly string[]).includes(a))).toEqual([]);
  });

  it('names each action once, in family.event form, with a writer and a meaning', () => {
    expect(new Set(AUDIT_ACTION_LIST).size).toBe(AUDIT_ACTION_LIST.length);
    for (const e of Object.values(AUDIT_CATALOGUE)) {
      expect(e.action).toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(['api', 'engine']).toContain(e.writer);
      expect(e.meaning.length).toBeGreaterThan(10);
    }
  });
});
