/**
 * End-to-end tests of `centaur earnings-calendar` through commander, with every provider answered
 * from recorded fixtures by a fake fetch: symbols from flags and positions, FMP with Finnhub
 * fallback, Benzinga macro events, the ICS file, the Google Calendar sync, dry runs, exit codes,
 * and the guarantee that no API key reaches the output or an error.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { type EarningsCliDeps, registerEarningsCalendar } from '../../src/cli/commands/earnings-calendar.js';
import { type Call, fakeFetch, fixture, json, type Route } from './support/fake-fetch.js';

const KEYS = {
  FMP_API_KEY: 'fmpSECRETkey1',
  FINNHUB_API_KEY: 'fhSECRETkey2',
  BENZINGA_API_KEY: 'bzSECRETkey3',
};
const NOW = new Date('2025-11-03T14:00:00Z');

const providerRoutes: Route[] = [
  {
    match: (u) => u.startsWith('https://financialmodelingprep.com/stable/earnings-calendar'),
    respond: () => json(fixture('earnings', 'fmp-earnings-calendar.json')),
  },
  {
    match: (u) => u.startsWith('https://finnhub.io/api/v1/calendar/earnings'),
    respond: (c) =>
      json(
        fixture(
          'earnings',
          c.url.includes('symbol=RKLB') ? 'finnhub-earnings-RKLB.json' : 'finnhub-earnings-empty.json',
        ),
      ),
  },
  {
    match: (u) => u.startsWith('https://api.benzinga.com/api/v2.1/calendar/economics'),
    respond: () => json(fixture('earnings', 'benzinga-economics.json')),
  },
  {
    match: (u) => u === 'http://127.0.0.1:8000/state/positions',
    respond: () => json(fixture('earnings', 'centaur-positions.json')),
  },
];

const files: Record<string, string> = {
  '/secrets/credentials.json': fixture('earnings', 'google-credentials.json'),
  '/secrets/token.json': fixture('earnings', 'google-token-expired.json'),
};

function harness(env: Record<string, string>, routes: Route[] = providerRoutes) {
  const fake = fakeFetch(routes);
  const out: string[] = [];
  const err: string[] = [];
  const written = new Map<string, string>();
  const deps: EarningsCliDeps = {
    environment: () => Object.freeze({ ...env }),
    fetchFn: fake.fetchFn,
    now: () => NOW,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    writeFile: (path, text) => written.set(path, text),
    readText: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT ${path}`);
      return text;
    },
  };
  const program = new Command('centaur').exitOverride();
  registerEarningsCalendar(program, deps);
  const run = async (...args: string[]) => {
    try {
      await program.parseAsync(['node', 'centaur', 'earnings-calendar', ...args]);
      return null;
    } catch (error) {
      return error as Error & { exitCode?: number };
    }
  };
  return { run, calls: fake.calls, out, err, written };
}

function expectNoSecrets(h: { out: string[]; err: string[] }, error: Error | null, secrets: string[]) {
  const everything = [...h.out, ...h.err, error?.message ?? ''].join('\n');
  for (const secret of secrets) expect(everything).not.toContain(secret);
}

describe('centaur earnings-calendar', () => {
  it('writes an ICS with FMP events, the Finnhub fallback and macro events', async () => {
    const h = harness(KEYS);
    const error = await h.run(
      '--symbols',
      'PLTR,SHOP',
      '--from-positions',
      'http://127.0.0.1:8000',
      '--export-ics',
      'out.ics',
    );
    expect(error).toBeNull();
    const ics = h.written.get('out.ics')!;
    const uids = ics.split('\r\n').filter((l) => l.startsWith('UID:'));
    expect(uids).toEqual([
      'UID:earnings-PLTR-2025-11-03@centaur',
      'UID:earnings-AMD-2025-11-04@centaur',
      'UID:earnings-SHOP-2025-11-04@centaur',
      'UID:earnings-RKLB-2025-11-10@centaur',
      'UID:macro-6903a1f5b1c2e40001a8c3d1@centaur',
      'UID:macro-6903a1f5b1c2e40001a8c3d5@centaur',
      'UID:macro-6903a1f5b1c2e40001a8c3d2@centaur',
    ]);
    // Finnhub was asked only for the symbol FMP missed.
    expect(
      h.calls.filter((c) => c.url.includes('finnhub')).map((c) => new URL(c.url).searchParams.get('symbol')),
    ).toEqual(['RKLB']);
    expect(h.out.join('')).toContain('2025-11-10  RKLB   AMC');
    expect(h.err.join('')).toMatch(/FMP: fetching earnings 2025-11-03\.\.2025-11-17 for 4 symbol\(s\)/);
    expect(h.err.join('')).toContain('Finnhub: RKLB (1/1)');
    expectNoSecrets(h, error, Object.values(KEYS));
  });

  it('falls back to Finnhub for every symbol when FMP is rate limited, and says so', async () => {
    const routes: Route[] = [
      {
        match: (u) => u.includes('financialmodelingprep'),
        respond: () => json({ message: 'Limit Reach' }, 429, { 'retry-after': '30' }),
      },
      ...providerRoutes.slice(1),
    ];
    const h = harness(KEYS, routes);
    const error = await h.run('--symbols', 'RKLB', '--no-macro');
    expect(error).toBeNull();
    expect(h.err.join('')).toContain('FMP failed, falling back to Finnhub: FMP: HTTP 429');
    expect(h.out.join('')).toContain('RKLB');
    expectNoSecrets(h, error, Object.values(KEYS));
  });

  it('fails with exit code 1, the status, the retry time and no key when the only source is rate limited', async () => {
    const routes: Route[] = [{ match: () => true, respond: () => json('{}', 429, { 'retry-after': '120' }) }];
    const h = harness({ FMP_API_KEY: KEYS.FMP_API_KEY }, routes);
    const error = await h.run('--symbols', 'AAPL');
    expect(error?.exitCode).toBe(1);
    expect(error?.message).toContain('HTTP 429');
    expect(error?.message).toContain('retry after 2025-11-03T14:02:00.000Z');
    expect(error?.message).toContain('apikey=***');
    expectNoSecrets(h, error, [KEYS.FMP_API_KEY]);
  });

  it('fails with exit code 1 and a redacted URL on a server error', async () => {
    const routes: Route[] = [
      { match: () => true, respond: () => json(`upstream said key=${KEYS.FMP_API_KEY} is bad`, 503) },
    ];
    const h = harness({ FMP_API_KEY: KEYS.FMP_API_KEY }, routes);
    const error = await h.run('--symbols', 'AAPL');
    expect(error?.exitCode).toBe(1);
    expect(error?.message).toMatch(
      /FMP: HTTP 503 from https:\/\/financialmodelingprep\.com\/stable\/earnings-calendar\?from=2025-11-03&to=2025-11-17&apikey=\*\*\*/,
    );
    expectNoSecrets(h, error, [KEYS.FMP_API_KEY]);
  });

  it('exits 2 naming the missing variables, before any request', async () => {
    const h = harness({});
    const error = await h.run('--symbols', 'AAPL', '--macro');
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toContain('FMP_API_KEY');
    expect(error?.message).toContain('BENZINGA_API_KEY');
    expect(h.calls).toHaveLength(0);
  });

  it('dry run: fetches and reports but writes no file and changes no calendar', async () => {
    const h = harness(
      {
        ...KEYS,
        GOOGLE_CREDENTIALS_PATH: '/secrets/credentials.json',
        GOOGLE_TOKEN_PATH: '/secrets/token.json',
      },
      [...providerRoutes, ...googleRoutes()],
    );
    const error = await h.run(
      '--symbols',
      'PLTR,AMD',
      '--export-ics',
      'out.ics',
      '--google-sync',
      '--no-macro',
      '--dry-run',
    );
    expect(error).toBeNull();
    expect(h.written.size).toBe(0);
    expect(h.out.join('')).toContain('dry run: would write 2 event(s) to out.ics');
    expect(h.out.join('')).toContain(
      'dry run: Google Calendar would have 0 created, 1 updated, 1 deleted, 1 unchanged',
    );
    expect(h.calls.filter((c) => c.method !== 'GET' && !c.url.includes('oauth2'))).toHaveLength(0);
  });

  it('syncs Google Calendar incrementally, touching only its own events inside the window', async () => {
    const env = {
      ...KEYS,
      GOOGLE_CREDENTIALS_PATH: '/secrets/credentials.json',
      GOOGLE_TOKEN_PATH: '/secrets/token.json',
    };
    const h = harness(env, [...providerRoutes, ...googleRoutes()]);
    const error = await h.run('--symbols', 'PLTR,AMD,SHOP', '--google-sync', '--no-macro');
    expect(error).toBeNull();
    const refresh = h.calls.find((c) => c.url === 'https://oauth2.googleapis.com/token')!;
    expect(new URLSearchParams(refresh.body ?? '').get('grant_type')).toBe('refresh_token');
    const mutations = h.calls.filter((c) => c.url.includes('googleapis.com/calendar') && c.method !== 'GET');
    expect(mutations.map((c) => `${c.method} ${c.url.split('/events')[1] || '/'}`)).toEqual([
      'POST /',
      'PATCH /k2changed00002',
      'DELETE /k3moved000003',
    ]);
    const created = JSON.parse(mutations[0]!.body!);
    expect(created.extendedProperties.private).toEqual({
      centaur: 'earnings',
      centaurKey: 'earnings-SHOP-2025-11-04',
    });
    expect(created.start).toEqual({ date: '2025-11-04' });
    expect(mutations.every((c) => c.headers.authorization === 'Bearer ya29.fresh-access-token-value')).toBe(
      true,
    );
    const list = h.calls.find((c) => c.url.includes('/events?'))!;
    expect(new URL(list.url).searchParams.get('privateExtendedProperty')).toBe('centaur=earnings');
    expect(h.out.join('')).toContain('Google Calendar: 1 created, 1 updated, 1 deleted, 1 unchanged');
    expectNoSecrets(h, error, [
      ...Object.values(KEYS),
      'ya29.fresh-access-token-value',
      '1//0g-test-refresh-token-value',
    ]);
  });

  it('reports a Google token that cannot be read as configuration (exit 2)', async () => {
    const env = {
      ...KEYS,
      GOOGLE_CREDENTIALS_PATH: '/secrets/credentials.json',
      GOOGLE_TOKEN_PATH: '/secrets/nope.json',
    };
    const h = harness(env);
    const error = await h.run('--symbols', 'PLTR', '--google-sync', '--no-macro');
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toContain('GOOGLE_TOKEN_PATH=/secrets/nope.json');
  });
});

function googleRoutes(): Route[] {
  return [
    {
      method: 'POST',
      match: (u) => u === 'https://oauth2.googleapis.com/token',
      respond: () => json(fixture('earnings', 'google-token-refresh.json')),
    },
    {
      match: (u) => u.startsWith('https://www.googleapis.com/calendar/v3/calendars/primary/events?'),
      respond: (c: Call) =>
        json(
          fixture(
            'earnings',
            c.url.includes('pageToken=page-2') ? 'google-events-list-page2.json' : 'google-events-list.json',
          ),
        ),
    },
    {
      method: 'POST',
      match: (u) => u.endsWith('/calendars/primary/events'),
      respond: () => json({ id: 'new1' }),
    },
    {
      method: 'PATCH',
      match: (u) => u.includes('/calendars/primary/events/'),
      respond: () => json({ id: 'patched' }),
    },
    {
      method: 'DELETE',
      match: (u) => u.includes('/calendars/primary/events/'),
      respond: () => new Response(null, { status: 204 }),
    },
  ];
}
