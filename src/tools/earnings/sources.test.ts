import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchBenzingaMacro } from './benzinga-source.js';
import { fetchFinnhubEarnings } from './finnhub-source.js';
import { fetchFmpEarnings } from './fmp-source.js';
import { fetchPositionSymbols, positionsUrl } from './positions-source.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'earnings');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function serving(body: string | ((url: string) => string), seen: string[] = []) {
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    seen.push(String(input), JSON.stringify(init?.headers ?? {}));
    return new Response(typeof body === 'string' ? body : body(String(input)));
  }) as typeof fetch;
  return { fetchFn, now: () => new Date('2025-11-03T14:00:00Z'), secrets: [] };
}

const window = { from: '2025-11-03', to: '2025-11-17' };

describe('provider mapping', () => {
  it('FMP: keeps the wanted symbols, maps estimates to decimal strings, ignores malformed rows of others', async () => {
    const seen: string[] = [];
    const events = await fetchFmpEarnings(
      { ...window, symbols: ['PLTR', 'DKNG', 'RKLB'] },
      'k',
      serving(fixture('fmp-earnings-calendar.json'), seen),
    );
    expect(seen[0]).toBe(
      'https://financialmodelingprep.com/stable/earnings-calendar?from=2025-11-03&to=2025-11-17&apikey=k',
    );
    expect(events).toEqual([
      {
        symbol: 'PLTR',
        date: '2025-11-03',
        time: 'unknown',
        epsEstimate: '0.17',
        revenueEstimate: '1090227642',
        source: 'fmp',
      },
      {
        symbol: 'DKNG',
        date: '2025-11-06',
        time: 'unknown',
        epsEstimate: '-0.34',
        revenueEstimate: '1163542290',
        source: 'fmp',
      },
    ]);
  });

  it('FMP: fails loudly on a malformed row for a wanted symbol and on a non-list body', async () => {
    await expect(
      fetchFmpEarnings(
        { ...window, symbols: ['XYZW.TO'] },
        'k',
        serving(fixture('fmp-earnings-calendar.json')),
      ),
    ).rejects.toThrow(/FMP: malformed row for XYZW.TO/);
    await expect(
      fetchFmpEarnings({ ...window, symbols: ['A'] }, 'k', serving('{"Error Message":"Limit Reach"}')),
    ).rejects.toThrow(/expected a list of earnings, got \{"Error Message":"Limit Reach"\}/);
  });

  it('Finnhub: one request per symbol with the time of day', async () => {
    const seen: string[] = [];
    const progress: string[] = [];
    const events = await fetchFinnhubEarnings(
      { ...window, symbols: ['RKLB', 'ZZZZ'] },
      'fh',
      serving(
        (url) => fixture(url.includes('RKLB') ? 'finnhub-earnings-RKLB.json' : 'finnhub-earnings-empty.json'),
        seen,
      ),
      (s) => progress.push(s),
    );
    expect(events).toEqual([
      {
        symbol: 'RKLB',
        date: '2025-11-10',
        time: 'amc',
        epsEstimate: '-0.0985',
        revenueEstimate: '152059000',
        source: 'finnhub',
      },
    ]);
    expect(progress).toEqual(['RKLB', 'ZZZZ']);
    expect(seen[0]).toContain('/api/v1/calendar/earnings?from=2025-11-03&to=2025-11-17&symbol=RKLB&token=fh');
  });

  it('Finnhub: rejects an unexpected body', async () => {
    await expect(
      fetchFinnhubEarnings({ ...window, symbols: ['A'] }, 'fh', serving('{"error":"x"}')),
    ).rejects.toThrow(/Finnhub: unexpected response for A/);
  });

  it('Benzinga: filters by country and importance and keeps Eastern wall-clock times', async () => {
    const events = await fetchBenzingaMacro(
      { ...window, countries: ['USA'], minImportance: 2 },
      'bz',
      serving(fixture('benzinga-economics.json')),
    );
    expect(events.map((e) => [e.name, e.date, e.time])).toEqual([
      ['Nonfarm Payrolls', '2025-11-07', '08:30:00'],
      ['Consumer Price Index, YoY', '2025-11-13', '08:30:00'],
      ['Veterans Day; Bond Market Closed, Stock Market Open', '2025-11-11', null],
    ]);
    expect(
      await fetchBenzingaMacro({ ...window, countries: [], minImportance: 1 }, 'bz', serving('[]')),
    ).toEqual([]);
  });

  it('positions: accepts the API base or the full URL and sends the bearer token', async () => {
    expect(positionsUrl('http://127.0.0.1:8000/')).toBe('http://127.0.0.1:8000/state/positions');
    expect(positionsUrl('http://h/state/positions')).toBe('http://h/state/positions');
    const seen: string[] = [];
    const symbols = await fetchPositionSymbols(
      'http://127.0.0.1:8000',
      'tok',
      serving(fixture('centaur-positions.json'), seen),
    );
    expect(symbols).toEqual(['RKLB', 'AMD']);
    expect(seen[1]).toContain('Bearer tok');
    await expect(fetchPositionSymbols('http://h', null, serving('{"items":[]}'))).rejects.toThrow(
      /did not return/,
    );
  });
});
