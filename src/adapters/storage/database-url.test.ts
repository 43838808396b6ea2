import { describe, expect, it } from 'vitest';
import { createDatabase } from './database.js';
import { maskDatabaseUrl, parseDatabaseUrl } from './database-url.js';
import { DatabaseUrlError } from './errors.js';

describe('parseDatabaseUrl', () => {
  it.each([
    ['sqlite:./data/centaur.db', './data/centaur.db'],
    ['sqlite:/abs/path.db', '/abs/path.db'],
    ['sqlite:///relative.db', 'relative.db'],
    ['sqlite:////abs/path.db', '/abs/path.db'],
    ['  sqlite:./x.db?mode=rwc ', './x.db'],
  ])('reads the sqlite file path of %s', (url, path) => {
    expect(parseDatabaseUrl(url)).toEqual({ dialect: 'sqlite', path, memory: false });
  });

  it('recognises an in-memory sqlite database', () => {
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({
      dialect: 'sqlite',
      path: ':memory:',
      memory: true,
    });
  });

  it.each([
    'postgres://u:p@127.0.0.1:5432/centaur',
    'postgresql://db.internal/centaur',
    'postgres:///centaur?host=/var/run/postgresql',
  ])('accepts the postgres URL %s', (url) => {
    expect(parseDatabaseUrl(url)).toEqual({ dialect: 'postgres', connectionString: url });
  });

  it.each([
    ['', /is empty/],
    ['mysql://u:p@h/db', /unsupported scheme "mysql:"/],
    ['./data/centaur.db', /has no scheme/],
    ['sqlite:', /path is empty/],
    ['sqlite://host/db.sqlite', /not a host/],
    ['postgres://', /no host/],
    ['postgres://u:p@[bad/db', /not a valid URL/],
  ])('rejects %j with a typed error that says what is allowed', (url, reason) => {
    const error = (() => {
      try {
        parseDatabaseUrl(url);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DatabaseUrlError);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).toContain('sqlite:./data/centaur.db');
    expect((error as Error).message).toContain('postgres://');
    expect(error).toMatchObject({ code: 'DATABASE_URL_INVALID', exitCode: 2 });
  });

  it('never prints the password of a bad URL', () => {
    for (const url of ['mysql://admin:s3cr3t-Pw@db:3306/x', 'postgres://admin:s3cr3t-Pw@[oops/x']) {
      const error = (() => {
        try {
          createDatabase(url);
        } catch (e) {
          return e as DatabaseUrlError;
        }
      })();
      expect(error?.message).not.toContain('s3cr3t-Pw');
      expect(error?.message).toContain('admin:***@');
      expect(JSON.stringify(error)).not.toContain('s3cr3t-Pw');
    }
  });
});

describe('maskDatabaseUrl', () => {
  it.each([
    ['postgres://u:secret@h:5432/db', 'postgres://u:***@h:5432/db'],
    ['postgres://u:se/cr?et@h/db', 'postgres://u:***@h/db'],
    ['postgres://u@h/db', 'postgres://u@h/db'],
    ['sqlite:./data/centaur.db', 'sqlite:./data/centaur.db'],
  ])('masks %s as %s', (url, masked) => {
    expect(maskDatabaseUrl(url)).toBe(masked);
  });
});
