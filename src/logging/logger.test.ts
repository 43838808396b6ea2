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

describe('scrubbing URL credentials and configured secrets', () => {
  const cases: Array<[string, Record<string, string>, string, string[]]> = [
    [
      'a Redis password containing @',
      { REDIS_URL: 'redis://:p@ss@host:6379' },
      'redis://:p@ss@host:6379',
      ['p@ss'],
    ],
    [
      'a Postgres password with / and @',
      { DATABASE_URL: 'postgres://u:p/w@d@host/db' },
      'postgres://u:p/w@d@host/db',
      ['p/w@d'],
    ],
    [
      'a password in the query',
      { DATABASE_URL: 'postgres://u@host/db?password=qSeCrEt99&sslmode=require' },
      'postgres://u@host/db?password=qSeCrEt99&sslmode=require',
      ['qSeCrEt99'],
    ],
    [
      'the webhook URL',
      { NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/services/T0/B0/HOOKSECRET' },
      'https://hooks.example.com/services/T0/B0/HOOKSECRET',
      ['/services/T0/B0/HOOKSECRET'],
    ],
  ];

  it.each(cases)('never writes %s, in a URL or on its own', (_name, env, url, secrets) => {
    const out = capture();
    const log = loggerFromConfig(loadConfig(env), 'api', out.stream);
    log.info(`connecting to ${url}`);
    log.error({ err: new Error(`refused: ${url}`) }, 'connection failed');
    for (const secret of secrets) log.warn({ detail: `value ${secret} seen` }, `bare ${secret}`);
    const raw = out.raw();
    expect(raw.split('\n').filter(Boolean)).toHaveLength(2 + secrets.length);
    for (const secret of secrets) expect(raw).not.toContain(secret);
    expect(raw).not.toContain('SECRET');
  });

  it('masks credentials of URLs it was not configured with', () => {
    const out = capture();
    const log = createLogger({
      service: 'api',
      profileId: 'p',
      environment: 'paper',
      destination: out.stream,
    });
    log.info('driver said: connect postgres://admin:other-pass@10.1.2.3:5432/x failed');
    expect(out.raw()).not.toContain('other-pass');
    expect(out.raw()).toContain('postgres://admin:***@10.1.2.3:5432/x');
  });
});

describe('scrubSecrets', () => {
  it('replaces every occurrence and ignores values too short to be secrets', () => {
    expect(scrubSecrets('a KEY1234 b KEY1234', ['KEY1234'])).toBe('a [REDACTED] b [REDACTED]');
    expect(scrubSecrets('abc', ['ab'])).toBe('abc');
  });
});
