import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VARIABLE_LIST } from './config.js';
import {
  BEGIN_MARKER,
  configTable,
  DOC_FILES,
  defaultCell,
  END_MARKER,
  generatedPart,
  meaningCell,
  tableRows,
} from './docs.js';

const FIX = 'declare variables in src/config/variables.ts, then run `npm run docs:config`';

const read = (file: string): string => readFileSync(file, 'utf8');

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => !path.includes('node_modules'));
}

/** Where configuration variables are written for people: READMEs, docs, deployment files. */
const PROSE = [
  'README.md',
  ...filesUnder('docs', (n) => n.endsWith('.md')),
  ...filesUnder('src', (n) => n === 'README.md'),
  ...filesUnder('deploy', () => true),
];

const KNOWN = new Set(VARIABLE_LIST.flatMap(({ variable: v }) => [v.name, ...v.aliases]));

/** Variables with a Centaur-like name that the processes do not read, and who reads them. */
const READ_ELSEWHERE: Record<string, string> = {
  CENTAUR_API_URL: 'ui/vite.config.ts: the UI dev server proxy',
};

/** Names that look like Centaur's variables (the prefixes the declarations use). */
const VARIABLE_LIKE = /\b(?:ALPACA|APCA|ENGINE|RISK|NOTIFY|KILL_SWITCH|API|CENTAUR)_[A-Z0-9_]*[A-Z0-9]\b/g;

/**
 * Rows outside the generated tables that are allowed, and why: a tool's own table naming a
 * variable of Centaur's it also reads.
 */
const OTHER_TABLES: Record<string, string> = {
  'docs/tools.md: API_TOKEN': 'the earnings tool sends the API token to read positions',
};

describe('the configuration tables (generated from src/config/variables.ts)', () => {
  it.each(DOC_FILES)(
    '%s has one row per declared variable, with its aliases, default and meaning',
    (file) => {
      const part = generatedPart(read(file));
      expect(part, `${file}: missing ${BEGIN_MARKER} ... ${END_MARKER}`).not.toBeNull();
      const rows = new Map(tableRows(part ?? '').map((r) => [r.name, r]));
      const declared = VARIABLE_LIST.filter((p) => p.variable.docFile === file).map((p) => p.variable);
      const names = new Set(declared.map((v) => v.name));
      expect(
        {
          withoutRow: declared.filter((v) => !rows.has(v.name)).map((v) => v.name),
          rowsNamingNoDeclaredVariable: [...rows.keys()].filter((n) => !names.has(n)),
        },
        `${file}: rows and declarations disagree (${FIX})`,
      ).toEqual({ withoutRow: [], rowsNamingNoDeclaredVariable: [] });
      for (const v of declared) {
        const row = rows.get(v.name);
        expect(row?.aliases, `${file}: aliases of ${v.name} (${FIX})`).toEqual(v.aliases);
        expect(row?.default, `${file}: default of ${v.name} (${FIX})`).toBe(defaultCell(v));
        expect(row?.meaning, `${file}: meaning of ${v.name} (${FIX})`).toBe(meaningCell(v));
      }
      expect(part, `${file}: the table is stale (${FIX})`).toBe(configTable(file));
    },
  );

  it('lists every declared variable in a document that has a table', () => {
    for (const { variable: v } of VARIABLE_LIST) expect(DOC_FILES, v.name).toContain(v.docFile);
  });

  it('has no second table of variables outside the generated ones', () => {
    const stray = PROSE.flatMap((file) => {
      const text = read(file);
      const part = generatedPart(text);
      const outside = part === null ? text : text.replace(part, '');
      return [...outside.matchAll(/^\| *`([A-Z][A-Z0-9_]*)`/gm)]
        .filter((m) => KNOWN.has(m[1] as string))
        .map((m) => `${file}: ${m[1]}`)
        .filter((row) => !(row in OTHER_TABLES));
    });
    expect(stray, `variables documented outside the generated tables (${FIX})`).toEqual([]);
  });

  it('names only declared variables in READMEs, docs and deployment files', () => {
    const unknown = PROSE.flatMap((file) =>
      [...new Set(read(file).match(VARIABLE_LIKE) ?? [])]
        .filter((name) => !KNOWN.has(name) && !(name in READ_ELSEWHERE))
        .map((name) => `${file}: ${name}`),
    );
    expect(unknown, `unknown variables (a typo, a removed variable, or one to declare: ${FIX})`).toEqual([]);
  });
});

describe('the declarations', () => {
  it('give every variable one name, used nowhere else as a name or alias', () => {
    const all = VARIABLE_LIST.flatMap(({ variable: v }) => [v.name, ...v.aliases]);
    expect(all.filter((n, i) => all.indexOf(n) !== i)).toEqual([]);
  });

  it('have defaults their own parsers accept', () => {
    for (const { variable: v } of VARIABLE_LIST) {
      for (const paper of [true, false]) {
        const raw = v.rawDefault(paper);
        if (raw !== undefined) expect(v.parse.safeParse(raw).success, `${v.name}=${raw}`).toBe(true);
      }
    }
  });

  it('document each variable in one line', () => {
    for (const { variable: v } of VARIABLE_LIST) {
      expect(v.doc.trim(), v.name).not.toBe('');
      expect(v.doc, v.name).not.toMatch(/[\n|]/);
    }
  });
});
