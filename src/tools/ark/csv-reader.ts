/**
 * A small RFC 4180 tokenizer: quoted fields with doubled quotes, commas and newlines inside
 * quotes, LF or CRLF line endings, an optional byte-order mark. Each row keeps the physical line
 * it starts on, so errors further up can point at it.
 */
import { CsvParseError } from './ark-errors.js';

export interface CsvRow {
  line: number;
  fields: string[];
}

interface Cursor {
  text: string;
  i: number;
  line: number;
}

function readQuoted(c: Cursor, source: string): string {
  const startLine = c.line;
  let value = '';
  c.i += 1; // opening quote
  while (c.i < c.text.length) {
    const ch = c.text[c.i]!;
    if (ch === '"') {
      if (c.text[c.i + 1] === '"') {
        value += '"';
        c.i += 2;
        continue;
      }
      c.i += 1;
      return value;
    }
    if (ch === '\n') c.line += 1;
    value += ch;
    c.i += 1;
  }
  throw new CsvParseError(source, startLine, null, 'unterminated quoted field');
}

function readRow(c: Cursor, source: string): string[] {
  const fields: string[] = [];
  let field = '';
  while (c.i < c.text.length) {
    const ch = c.text[c.i]!;
    if (ch === '"' && field.trim() === '') {
      field = readQuoted(c, source);
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      c.i += 1;
    } else if (ch === '\n' || ch === '\r') {
      c.i += ch === '\r' && c.text[c.i + 1] === '\n' ? 2 : 1;
      break;
    } else {
      field += ch;
      c.i += 1;
    }
  }
  fields.push(field);
  return fields;
}

/** Splits CSV text into rows; an empty line becomes a row with one empty field. */
export function readCsv(text: string, source: string): CsvRow[] {
  const c: Cursor = { text: text.replace(/^\uFEFF/, ''), i: 0, line: 1 };
  const rows: CsvRow[] = [];
  while (c.i < c.text.length) {
    const line = c.line;
    rows.push({ line, fields: readRow(c, source) });
    c.line += 1;
  }
  return rows;
}
