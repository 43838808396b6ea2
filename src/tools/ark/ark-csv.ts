/**
 * Parses ARK's daily holdings CSV (`date,fund,company,ticker,cusip,shares,"market value ($)",
 * "weight (%)"`): columns found by name, dates MM/DD/YYYY, numbers with thousands separators and
 * `$`/`%` signs. ARK ends the file with a free-text disclaimer block, which is skipped; a holdings
 * row after it, a bad number or a bad date is an error naming the line, the column and why.
 */
import { isDecimal } from '../../core/decimal.js';
import { CsvParseError } from './ark-errors.js';
import type { Holding, Snapshot } from './ark-types.js';
import { type CsvRow, readCsv } from './csv-reader.js';

const COLUMNS = {
  date: 'date',
  fund: 'fund',
  company: 'company',
  ticker: 'ticker',
  cusip: 'cusip',
  shares: 'shares',
  marketValue: 'market value ($)',
  weight: 'weight (%)',
} as const;
type Column = keyof typeof COLUMNS;

const DATE_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

type Index = Record<Column, number>;

function headerIndex(row: CsvRow, source: string): Index {
  const names = row.fields.map((f) => f.trim().toLowerCase().replace(/\s+/g, ' '));
  const index = {} as Index;
  const missing: string[] = [];
  for (const [key, name] of Object.entries(COLUMNS) as [Column, string][]) {
    const at = names.indexOf(name);
    if (at < 0) missing.push(name);
    index[key] = at;
  }
  if (missing.length > 0) {
    throw new CsvParseError(
      source,
      row.line,
      null,
      `header lacks column(s) ${missing.map((m) => `"${m}"`).join(', ')}`,
    );
  }
  return index;
}

/** 10/31/2025 -> 2025-10-31, or null when it is not a real calendar date. */
export function parseUsDate(text: string): string | null {
  const m = DATE_RE.exec(text.trim());
  if (!m) return null;
  const [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

/** "$1,234.50" -> "1234.50", "9.79%" -> "9.79"; null when not a number. */
export function parseNumber(text: string): string | null {
  const cleaned = text.trim().replace(/[$%,\s]/g, '');
  return cleaned !== '' && isDecimal(cleaned) ? cleaned : null;
}

function isBlank(row: CsvRow): boolean {
  return row.fields.every((f) => f.trim() === '');
}

function looksLikeHolding(row: CsvRow, index: Index): boolean {
  return DATE_RE.test((row.fields[index.date] ?? '').trim());
}

function field(row: CsvRow, index: Index, column: Column): string {
  return (row.fields[index[column]] ?? '').trim();
}

function numberField(row: CsvRow, index: Index, column: Column, source: string): string {
  const raw = field(row, index, column);
  const value = parseNumber(raw);
  if (value === null) {
    throw new CsvParseError(
      source,
      row.line,
      COLUMNS[column],
      `expected a number, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function parseHolding(
  row: CsvRow,
  index: Index,
  width: number,
  source: string,
): { date: string; fund: string; holding: Holding } {
  if (row.fields.length !== width) {
    throw new CsvParseError(source, row.line, null, `expected ${width} fields, found ${row.fields.length}`);
  }
  const date = parseUsDate(field(row, index, 'date'));
  if (date === null) {
    throw new CsvParseError(
      source,
      row.line,
      'date',
      `expected MM/DD/YYYY, got ${JSON.stringify(field(row, index, 'date'))}`,
    );
  }
  const company = field(row, index, 'company');
  if (company === '') throw new CsvParseError(source, row.line, 'company', 'empty company name');
  const holding: Holding = {
    company,
    ticker: field(row, index, 'ticker'),
    cusip: field(row, index, 'cusip'),
    shares: numberField(row, index, 'shares', source),
    marketValue: numberField(row, index, 'marketValue', source),
    weightPct: numberField(row, index, 'weight', source),
  };
  return { date, fund: field(row, index, 'fund').toUpperCase(), holding };
}

function checkSame(row: CsvRow, column: Column, expected: string, actual: string, source: string): void {
  if (actual !== expected) {
    throw new CsvParseError(
      source,
      row.line,
      COLUMNS[column],
      `expected ${expected} like the first row, got ${actual}`,
    );
  }
}

/** Parses one fund's CSV; `source` names it in errors (a URL or a file path). */
export function parseArkCsv(text: string, source: string): Snapshot {
  const rows = readCsv(text, source);
  const headerAt = rows.findIndex((r) => !isBlank(r));
  if (headerAt < 0) throw new CsvParseError(source, 1, null, 'the file is empty');
  const header = rows[headerAt]!;
  const index = headerIndex(header, source);
  let first: { date: string; fund: string } | null = null;
  let trailerLine: number | null = null;
  const holdings: Holding[] = [];
  for (const row of rows.slice(headerAt + 1)) {
    if (!looksLikeHolding(row, index)) {
      const sameFund =
        first !== null &&
        row.fields.length === header.fields.length &&
        field(row, index, 'fund') === first.fund;
      if ((holdings.length === 0 && trailerLine === null && !isBlank(row)) || sameFund) {
        throw new CsvParseError(
          source,
          row.line,
          'date',
          `expected MM/DD/YYYY, got ${JSON.stringify(field(row, index, 'date'))}`,
        );
      }
      trailerLine ??= row.line;
      continue;
    }
    if (trailerLine !== null) {
      throw new CsvParseError(
        source,
        row.line,
        null,
        `holdings row after the disclaimer block that starts on line ${trailerLine}`,
      );
    }
    const parsed = parseHolding(row, index, header.fields.length, source);
    first ??= parsed;
    checkSame(row, 'date', first.date, parsed.date, source);
    checkSame(row, 'fund', first.fund, parsed.fund, source);
    holdings.push(parsed.holding);
  }
  if (first === null) throw new CsvParseError(source, header.line, null, 'no holdings rows after the header');
  return { fund: first.fund, date: first.date, holdings };
}
