/** Keeps the error catalogue in code and the table in docs/api.md in step, both ways. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/api/errors.js';

const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
const errorsSection = doc.slice(doc.indexOf('## Errors'));
const documented = new Map(
  [...errorsSection.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((m) => [
    m[1] as string,
    Number(m[2]),
  ]),
);

describe('error catalogue', () => {
  it('documents every code in docs/api.md with its status', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(documented.get(code), code).toBe(entry.status);
    }
  });

  it('documents no code the catalogue does not have', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(ERROR_CATALOGUE).sort());
  });

  it('uses only 4xx and 5xx statuses, and 5xx only for failures outside the request', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(entry.status, code).toBeGreaterThanOrEqual(400);
      if (entry.status >= 500)
        expect(['internal_error', 'bus_unavailable', 'database_unavailable']).toContain(code);
    }
  });
});
