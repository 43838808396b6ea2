import { describe, expect, it } from 'vitest';
import {
  maskUrlCredentials,
  maskUrlsInText,
  maskWebhookUrl,
  urlSecrets,
  webhookSecrets,
} from './url-secrets.js';

/** [url, masked, the secret parts that must not survive] */
const CASES: Array<[string, string, string[]]> = [
  ['postgres://u:secret@h:5432/db', 'postgres://u:***@h:5432/db', ['secret']],
  ['postgres://u@h/db', 'postgres://u@h/db', []],
  ['redis://:p@ss@host:6379', 'redis://:***@host:6379', ['p@ss', 'ss@host']],
  ['redis://:redispass@redis:6379/0', 'redis://:***@redis:6379/0', ['redispass']],
  ['postgres://u:p/w@d@host/db', 'postgres://u:***@host/db', ['p/w@d', 'w@d']],
  ['postgres://u:se/cr?et@h/db', 'postgres://u:***@h/db', ['se/cr?et', 'cr?et']],
  ['postgres://u:p#x@h/db', 'postgres://u:***@h/db', ['p#x']],
  [
    'postgres://u@host/db?password=secret&sslmode=require',
    'postgres://u@host/db?password=***&sslmode=require',
    ['secret'],
  ],
  [
    'postgres://host/db?sslmode=verify-full&sslpassword=k3y-pass',
    'postgres://host/db?sslmode=verify-full&sslpassword=***',
    ['k3y-pass'],
  ],
  ['https://hooks.example/x?token=abcd1234&a=1', 'https://hooks.example/x?token=***&a=1', ['abcd1234']],
  ['https://h/x?Api_Key=zz99zz&PWD=qq77', 'https://h/x?Api_Key=***&PWD=***', ['zz99zz', 'qq77']],
  ['postgres://u:p%40ss@h/db', 'postgres://u:***@h/db', ['p%40ss']],
  ['postgres://u:pw@h/db#frag', 'postgres://u:***@h/db#frag', ['pw@']],
  ['rediss://user:pa:ss@host:6380', 'rediss://user:***@host:6380', ['pa:ss']],
  ['https://TOKEN/part@host/x', 'https://***@host/x', ['TOKEN/part']],
  // An '@' in the query makes the whole user info ambiguous: masked more, never less.
  ['postgres://u:pw@host/db?application_name=a@b', 'postgres://u:***@b', ['pw', 'host/db']],
  ['sqlite:./data/centaur.db', 'sqlite:./data/centaur.db', []],
  ['not a url', 'not a url', []],
];

describe('maskUrlCredentials', () => {
  it.each(CASES)('masks %s as %s', (url, masked, gone) => {
    const out = maskUrlCredentials(url);
    expect(out).toBe(masked);
    for (const part of gone) expect(out).not.toContain(part);
  });
});

describe('maskUrlsInText', () => {
  it('masks every URL in a line and leaves the rest alone', () => {
    const line =
      '{"msg":"connect postgres://u:p/w@d@db:5432/x failed; retry redis://:p@ss@r:6379","at":"12:00"}';
    const out = maskUrlsInText(line);
    expect(out).toBe(
      '{"msg":"connect postgres://u:***@db:5432/x failed; retry redis://:***@r:6379","at":"12:00"}',
    );
    expect(maskUrlsInText('plain text, http://127.0.0.1:8000/health')).toBe(
      'plain text, http://127.0.0.1:8000/health',
    );
  });
});

describe('maskWebhookUrl', () => {
  it.each([
    ['https://hooks.slack.com/services/T0/B0/XYZ', 'https://hooks.slack.com/***'],
    ['http://127.0.0.1:9/hook?token=abc', 'http://127.0.0.1:9/***'],
    ['https://user:pw@h.example/path', 'https://h.example/***'],
    ['https://h.example', 'https://h.example/***'],
    ['garbage', '***'],
  ])('shows %s as %s', (url, masked) => {
    expect(maskWebhookUrl(url)).toBe(masked);
  });
});

describe('urlSecrets and webhookSecrets', () => {
  it('lists the password raw and decoded, and credential query values', () => {
    expect(urlSecrets('redis://:p@ss@host:6379')).toEqual(['p@ss']);
    expect(urlSecrets('postgres://u:p%40ss@h/db?password=x%2Fy&sslmode=require')).toEqual([
      'p%40ss',
      'p@ss',
      'x%2Fy',
      'x/y',
    ]);
    expect(urlSecrets('postgres://u@h/db')).toEqual([]);
    expect(urlSecrets(null)).toEqual([]);
  });

  it('treats the whole webhook URL and its path as secrets', () => {
    expect(webhookSecrets('https://hooks.slack.com/services/T0/B0/XYZ')).toEqual([
      'https://hooks.slack.com/services/T0/B0/XYZ',
      '/services/T0/B0/XYZ',
    ]);
    expect(webhookSecrets(null)).toEqual([]);
  });
});
