import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnvironment } from './environment.js';

describe('readEnvironment', () => {
  it('reads a .env file under the real environment, real variables winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'centaur-env-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'API_PORT=9001\nLOG_LEVEL=debug\n# comment\nDRAFT_TTL_SECONDS=30\n');
    const env = readEnvironment({ envFile: file, source: { LOG_LEVEL: 'warn', OTHER: 'x' } });
    expect(env).toMatchObject({ API_PORT: '9001', LOG_LEVEL: 'warn', DRAFT_TTL_SECONDS: '30', OTHER: 'x' });
    expect(Object.isFrozen(env)).toBe(true);
  });

  it('works without a .env file', () => {
    expect(readEnvironment({ envFile: '/nonexistent/.env', source: { A: '1' } })).toEqual({ A: '1' });
    expect(readEnvironment({ envFile: false, source: {} })).toEqual({});
  });
});
