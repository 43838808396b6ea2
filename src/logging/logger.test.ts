import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { createLogger, loggerFromConfig, scrubSecrets } from './logger.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[]; raw: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const raw = () => chunks.join('');
  return {
    stream,
    raw,
    lines: () =>
      raw()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const KEY = 'AKSECRETKEYVALUE0001';
const SECRET = 'sEcReTsEcReTvalue0002';

describe('logger', () => {
  it('writes JSON lines with service, profile, environment and version', () => {
    const out = capture();
    const log = createLogger({
      service: 'engine',
      profileId: 'p1',
      environment: 'live',
      destination: out.stream,
    });
    log.info({ orderId: 'o1' }, 'order submitted');
    const [line] = out.lines();
    expect(line).toMatchObject({
      level: 'info',
      service: 'engine',
      profile: 'p1',
      environment: 'live',
      orderId: 'o1',
      msg: 'order submitted',
    });
    expect(typeof line?.version).toBe('string');
    expect(typeof line?.time).toBe('string');
  });

  it('never writes the configured key and secret, in fields, messages or errors', () => {
    const out = capture();
    const config = loadConfig({
      ALPACA_API_KEY: KEY,
      ALPACA_API_SECRET: SECRET,
      DATABASE_URL: 'postgres://u:dbpassword99@127.0.0.1/db',
    });
    const log = loggerFromConfig(config, 'engine', out.stream);
    log.info({ keyId: KEY, secret: SECRET, nested: { secret: SECRET } }, `connecting with ${KEY}`);
    log.error({ err: new Error(`auth failed for ${KEY}:${SECRET}`) }, 'broker error');
    log.warn({ headers: { 'apca-api-secret-key': SECRET, authorization: `Bearer ${SECRET}` } }, 'request');
    log.info({ config }, 'effective configuration');
    log.info('database at postgres://u:dbpassword99@127.0.0.1/db');
    const raw = out.raw();
    expect(raw.split('\n').filter(Boolean)).toHaveLength(5);
    expect(raw).not.toContain(KEY);
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain('dbpassword99');
    expect(raw).toContain('[REDACTED]');
  });
});

describe('scrubSecrets', () => {
  it('replaces every occurrence and ignores values too short to be secrets', () => {
    expect(scrubSecrets('a KEY1234 b KEY1234', ['KEY1234'])).toBe('a [REDACTED] b [REDACTED]');
    expect(scrubSecrets('abc', ['ab'])).toBe('abc');
  });
});
