import { describe, expect, it } from 'vitest';
import { loadEarningsConfig } from './earnings-config.js';
import { ToolConfigError } from './tool-errors.js';

const TOML = `
[earnings]
days = 30
symbols = ["msft", "nvda"]
export_ics = "from-toml.ics"
[earnings.macro]
enabled = false
[earnings.google]
calendar_id = "toml-calendar"

[ark]
funds = ["ARKK"]
`;

const files: Record<string, string> = {
  'tools.toml': TOML,
  'bad.toml': 'days = [',
  'unknown.toml': '[earnings]\ndayz = 3\n',
};
const read = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file ${path}`);
  return text;
};
const ENV = {
  FMP_API_KEY: 'fmp-key',
  EARNINGS_DAYS: '7',
  EARNINGS_SYMBOLS: 'AAPL, tsla',
  GOOGLE_CALENDAR_ID: 'env-cal',
};

function problems(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ToolConfigError);
    expect((error as ToolConfigError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('earnings-calendar configuration', () => {
  it('uses the defaults and the environment when nothing else is given', () => {
    const config = loadEarningsConfig({}, ENV, read);
    expect(config.days).toBe(7);
    expect(config.symbols).toEqual(['AAPL', 'TSLA']);
    expect(config.exportIcs).toBeNull();
    expect(config.macro.enabled).toBe(false);
    expect(config.google.calendarId).toBe('env-cal');
    expect(Object.isFrozen(config)).toBe(true);
    expect(loadEarningsConfig({}, { FMP_API_KEY: 'k', EARNINGS_SYMBOLS: 'A' }, read).days).toBe(14);
  });

  it('lets the TOML file override the environment', () => {
    const config = loadEarningsConfig({ config: 'tools.toml' }, ENV, read);
    expect(config.days).toBe(30);
    expect(config.symbols).toEqual(['MSFT', 'NVDA']);
    expect(config.exportIcs).toBe('from-toml.ics');
    expect(config.google.calendarId).toBe('toml-calendar');
  });

  it('lets flags override the TOML file', () => {
    const config = loadEarningsConfig(
      { config: 'tools.toml', days: '3', symbols: 'amd,AMD, shop', exportIcs: 'flag.ics', dryRun: true },
      ENV,
      read,
    );
    expect(config.days).toBe(3);
    expect(config.symbols).toEqual(['AMD', 'SHOP']);
    expect(config.exportIcs).toBe('flag.ics');
    expect(config.dryRun).toBe(true);
  });

  it('turns macro events on by default only when BENZINGA_API_KEY is set', () => {
    expect(loadEarningsConfig({}, { ...ENV, BENZINGA_API_KEY: 'bz' }, read).macro.enabled).toBe(true);
    expect(loadEarningsConfig({ macro: false }, { ...ENV, BENZINGA_API_KEY: 'bz' }, read).macro.enabled).toBe(
      false,
    );
  });

  it('names every missing variable at once', () => {
    const message = problems(() => loadEarningsConfig({ macro: true, googleSync: true }, {}, read));
    expect(message).toContain('no symbols');
    expect(message).toContain('FMP_API_KEY');
    expect(message).toContain('FINNHUB_API_KEY');
    expect(message).toContain('BENZINGA_API_KEY');
    expect(message).toContain('GOOGLE_CREDENTIALS_PATH');
    expect(message).toContain('GOOGLE_TOKEN_PATH');
  });

  it('rejects out-of-range days, bad URLs, unknown TOML keys and unreadable files', () => {
    expect(problems(() => loadEarningsConfig({ days: '120' }, ENV, read))).toContain('--days');
    expect(problems(() => loadEarningsConfig({ fromPositions: 'not a url' }, ENV, read))).toContain(
      '--fromPositions',
    );
    expect(problems(() => loadEarningsConfig({ config: 'unknown.toml' }, ENV, read))).toContain('[earnings]');
    expect(problems(() => loadEarningsConfig({ config: 'bad.toml' }, ENV, read))).toContain('not valid TOML');
    expect(problems(() => loadEarningsConfig({ config: 'missing.toml' }, ENV, read))).toContain(
      'cannot read',
    );
    expect(problems(() => loadEarningsConfig({}, { ...ENV, EARNINGS_DAYS: 'soon' }, read))).toContain(
      'EARNINGS_DAYS',
    );
  });

  it('accepts positions as the only symbol source', () => {
    const config = loadEarningsConfig(
      { fromPositions: 'http://127.0.0.1:8000' },
      { FINNHUB_API_KEY: 'f' },
      read,
    );
    expect(config.symbols).toEqual([]);
    expect(config.fromPositions).toBe('http://127.0.0.1:8000');
  });
});

describe('empty variables', () => {
  it('treats an empty key as unset, so the missing-key message names it', () => {
    try {
      loadEarningsConfig({ symbols: 'AAPL' }, { FMP_API_KEY: '', FINNHUB_API_KEY: ' ' }, read);
      throw new Error('expected a configuration error');
    } catch (error) {
      expect((error as Error).message).toContain('set FMP_API_KEY (primary) or FINNHUB_API_KEY');
    }
  });
});
