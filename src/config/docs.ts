/**
 * The configuration tables of README.md and docs/risk.md, generated from the declarations
 * (variables.ts). Each table sits between two markers; `npm run docs:config` rewrites it, and
 * docs.test.ts fails when a document's table differs from what the declarations generate.
 */
import type { DocFile, Variable } from './declaration.js';
import { VARIABLE_LIST } from './variables.js';

export const DOC_FILES: readonly DocFile[] = ['README.md', 'docs/risk.md'];

export const BEGIN_MARKER =
  '<!-- BEGIN configuration table: generated from src/config/variables.ts by `npm run docs:config` -->';
export const END_MARKER = '<!-- END configuration table -->';

const code = (text: string): string => `\`${text}\``;

/** The table's variable cell: the name, then its aliases in brackets. */
export function nameCell(v: Variable): string {
  return v.aliases.length === 0 ? code(v.name) : `${code(v.name)} [${v.aliases.map(code).join(', ')}]`;
}

/** The table's default cell: unset, empty, the raw default, or the paper and live defaults. */
export function defaultCell(v: Variable): string {
  const d = v.default;
  const shown =
    d === undefined
      ? 'unset'
      : typeof d === 'object'
        ? `${code(d.paper)} (paper), ${code(d.live)} (live)`
        : d === ''
          ? 'empty'
          : code(d);
  return v.defaultNote === undefined ? shown : `${shown} → ${v.defaultNote}`;
}

const SECRET_NOTES = {
  value: 'secret: masked by `centaur config` and scrubbed from logs',
  url: 'a password or credential query value in it is masked by `centaur config` and scrubbed from logs',
  webhook: 'secret: `centaur config` shows `scheme://host/***` only, logs scrub it',
} as const;

/** The table's meaning cell: the declared documentation, and what is secret about the value. */
export function meaningCell(v: Variable): string {
  return v.secret === undefined ? v.doc : `${v.doc}; ${SECRET_NOTES[v.secret]}`;
}

/** The configuration table of one document, markers included. */
export function configTable(file: DocFile): string {
  const rows = VARIABLE_LIST.filter((p) => p.variable.docFile === file).map(
    ({ variable: v }) => `| ${nameCell(v)} | ${defaultCell(v)} | ${meaningCell(v)} |`,
  );
  return [BEGIN_MARKER, '| variable | default | meaning |', '| --- | --- | --- |', ...rows, END_MARKER].join(
    '\n',
  );
}

/** The document with its table (between the markers) replaced; throws when the markers are missing. */
export function withConfigTable(file: DocFile, text: string): string {
  const begin = text.indexOf(BEGIN_MARKER);
  const end = text.indexOf(END_MARKER);
  if (begin < 0 || end < begin) {
    throw new Error(
      `${file}: the configuration table markers are missing (${BEGIN_MARKER} ... ${END_MARKER})`,
    );
  }
  return text.slice(0, begin) + configTable(file) + text.slice(end + END_MARKER.length);
}

/** The generated part of a document: the text between its markers, or null without markers. */
export function generatedPart(text: string): string | null {
  const begin = text.indexOf(BEGIN_MARKER);
  const end = text.indexOf(END_MARKER);
  return begin < 0 || end < begin ? null : text.slice(begin, end + END_MARKER.length);
}

export interface TableRow {
  name: string;
  aliases: string[];
  default: string;
  meaning: string;
}

/** The rows of a Markdown table whose first cell starts with a backquoted variable name. */
export function tableRows(text: string): TableRow[] {
  const rows: TableRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^\| `([A-Z][A-Z0-9_]*)`((?: \[[^\]]*\])?) \| ([^|]*) \| (.*) \|$/.exec(line);
    if (m === null) continue;
    const aliases = [...(m[2] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((a) => a[1] as string);
    rows.push({ name: m[1] as string, aliases, default: m[3] as string, meaning: m[4] as string });
  }
  return rows;
}
