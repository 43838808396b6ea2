import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DENIAL_CODES } from './denial-codes.js';

describe('denial code catalogue', () => {
  it('is documented in docs/risk.md, code for code', () => {
    const doc = readFileSync('docs/risk.md', 'utf8');
    const codes = [...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)]
      .map((m) => m[1] as string)
      .filter((name) => !/^(RISK|KILL_SWITCH|NOTIFY)_/.test(name));
    expect(codes.sort()).toEqual(Object.keys(DENIAL_CODES).sort());
  });
});
