import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultArkDeps } from '../../src/cli/commands/ark-holdings.js';
import { defaultEarningsDeps } from '../../src/cli/commands/earnings-calendar.js';
import { buildProgram } from '../../src/cli/program.js';
import { writeFileAtomic } from '../../src/tools/earnings/earnings-run.js';

describe('tools registration', () => {
  it('registers both tools on the centaur program with help text', () => {
    const program = buildProgram();
    const names = program.commands.map((c) => c.name());
    expect(names).toContain('earnings-calendar');
    expect(names).toContain('ark-holdings');
    const help = program.commands.find((c) => c.name() === 'earnings-calendar')!.helpInformation();
    for (const flag of ['--days', '--symbols', '--export-ics', '--dry-run', '--config', '--from-positions']) {
      expect(help).toContain(flag);
    }
  });

  it('wires production defaults: the global fetch and the real clock', () => {
    const earnings = defaultEarningsDeps();
    const ark = defaultArkDeps();
    expect(earnings.fetchFn).toBe(globalThis.fetch);
    expect(ark.fetchFn).toBe(globalThis.fetch);
    expect(Math.abs(earnings.now().getTime() - Date.now())).toBeLessThan(5000);
    expect(ark.transport).toBeNull();
    expect(typeof earnings.environment().PATH === 'string' || earnings.environment().PATH === undefined).toBe(
      true,
    );
  });

  it('writes the ICS file atomically, leaving no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'centaur-ics-'));
    try {
      writeFileAtomic(join(dir, 'e.ics'), 'BEGIN:VCALENDAR\r\n');
      expect(readFileSync(join(dir, 'e.ics'), 'utf8')).toBe('BEGIN:VCALENDAR\r\n');
      expect(readdirSync(dir)).toEqual(['e.ics']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
