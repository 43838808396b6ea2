import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dec } from '../../core/decimal.js';
import { parseArkCsv, parseNumber, parseUsDate } from './ark-csv.js';
import { CsvParseError } from './ark-errors.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'ark');
const raw = (set: string, fund: string) => readFileSync(join(FIXTURES, 'raw', set, `${fund}.csv`), 'utf8');
const HEADER = 'date,fund,company,ticker,cusip,shares,"market value ($)","weight (%)"';

function parseError(text: string): CsvParseError {
  try {
    parseArkCsv(text, 'test.csv');
  } catch (error) {
    expect(error).toBeInstanceOf(CsvParseError);
    return error as CsvParseError;
  }
  throw new Error('expected a parse error');
}

/** Normalized rows (the reference data), without the normalizer's row for the disclaimer. */
function normalized(fund: string) {
  const text = readFileSync(join(FIXTURES, 'normalized', 'snapshots', `${fund}_2025-10-31.csv`), 'utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','))
    .filter((cols) => cols[2] !== 'nan');
}

describe('ARK holdings CSV parser', () => {
  for (const file of readdirSync(join(FIXTURES, 'raw', 'snapshots'))) {
    const fund = file.replace('.csv', '');
    it(`reads every ${fund} holding of 2025-10-31 and matches the normalized reference`, () => {
      const snapshot = parseArkCsv(raw('snapshots', fund), file);
      const reference = normalized(fund);
      expect(snapshot.fund).toBe(fund);
      expect(snapshot.date).toBe('2025-10-31');
      expect(snapshot.holdings).toHaveLength(reference.length);
      snapshot.holdings.forEach((h, i) => {
        const [, , company, ticker, cusip, shares, mv, weight] = reference[i]!;
        expect(h.company).toBe(company);
        expect(h.ticker).toBe(ticker === 'NAN' ? '' : ticker);
        expect(h.cusip).toBe(cusip);
        expect(dec(h.shares).equals(dec(shares))).toBe(true);
        expect(dec(h.marketValue).equals(dec(mv))).toBe(true);
        expect(dec(h.weightPct).equals(dec(weight).times(100).toDecimalPlaces(2))).toBe(true);
      });
    });
  }

  it('parses US dates, thousands separators, dollar and percent signs', () => {
    expect(parseUsDate('10/31/2025')).toBe('2025-10-31');
    expect(parseUsDate('2/3/2025')).toBe('2025-02-03');
    expect(parseUsDate('02/30/2025')).toBeNull();
    expect(parseUsDate('2025-10-31')).toBeNull();
    expect(parseNumber('"$1,234,567.89"'.replace(/"/g, ''))).toBe('1234567.89');
    expect(parseNumber('9.79%')).toBe('9.79');
    expect(parseNumber('-')).toBeNull();
    expect(parseNumber('')).toBeNull();
  });

  it('handles CRLF line endings, a byte-order mark, quoted commas and doubled quotes', () => {
    const text = `\uFEFF${HEADER}\r\n10/31/2025,ARKK,"ACME, ""THE"" CORP",ACME,123456789,"1,000","$10,000.00",1.50%\r\n\r\n"Disclaimer, with commas."\r\n`;
    const snapshot = parseArkCsv(text, 't');
    expect(snapshot.holdings).toEqual([
      {
        company: 'ACME, "THE" CORP',
        ticker: 'ACME',
        cusip: '123456789',
        shares: '1000',
        marketValue: '10000.00',
        weightPct: '1.50',
      },
    ]);
  });

  it('names the line and column of a bad number', () => {
    const error = parseError(
      `${HEADER}\n10/31/2025,ARKK,"A",A,1,"1,000","$1.00",1%\n10/31/2025,ARKK,"B",B,2,"lots","$1.00",1%\n`,
    );
    expect(error.line).toBe(3);
    expect(error.column).toBe('shares');
    expect(error.message).toBe('test.csv: line 3, column "shares": expected a number, got "lots"');
  });

  it('rejects an impossible date, a wrong date format inside the data, and a row with missing fields', () => {
    expect(parseError(`${HEADER}\n02/30/2025,ARKK,"A",A,1,1,1,1%\n`).message).toContain(
      'line 2, column "date": expected MM/DD/YYYY',
    );
    const wrongFormat = parseError(
      `${HEADER}\n10/31/2025,ARKK,"A",A,1,1,1,1%\n2025-10-31,ARKK,"B",B,2,1,1,1%\n`,
    );
    expect([wrongFormat.line, wrongFormat.column]).toEqual([3, 'date']);
    expect(parseError(`${HEADER}\n10/31/2025,ARKK,"A",A,1,1\n`).message).toContain(
      'line 2: expected 8 fields, found 6',
    );
  });

  it('rejects a header without the required columns, holdings after the disclaimer, and empty files', () => {
    expect(parseError('date,fund,company,ticker\n').message).toContain(
      'header lacks column(s) "cusip", "shares"',
    );
    const after = parseError(
      `${HEADER}\n10/31/2025,ARKK,"A",A,1,1,1,1%\n\n"Disclaimer"\n10/31/2025,ARKK,"B",B,2,1,1,1%\n`,
    );
    expect(after.message).toContain('line 5: holdings row after the disclaimer block that starts on line 3');
    expect(parseError('').message).toContain('the file is empty');
    expect(parseError(`${HEADER}\n\n"Only a disclaimer"\n`).message).toContain('no holdings rows');
    expect(parseError(`${HEADER}\n10/31/2025,ARKK,"A,A,1,1,1,1%\n`).message).toContain(
      'line 2: unterminated quoted field',
    );
  });

  it('rejects a file that mixes funds or dates', () => {
    const mixed = parseError(`${HEADER}\n10/31/2025,ARKK,"A",A,1,1,1,1%\n10/31/2025,ARKW,"B",B,2,1,1,1%\n`);
    expect(mixed.message).toContain('line 3, column "fund": expected ARKK like the first row, got ARKW');
  });
});
