/**
 * Parses DATABASE_URL into a connection target. Only two kinds are allowed: `sqlite:<path>` (and
 * `sqlite::memory:`) and `postgres://` / `postgresql://`. Anything else is a DatabaseUrlError whose
 * message masks the password.
 */
import { maskUrlCredentials } from '../../config/url-secrets.js';
import { DatabaseUrlError } from './errors.js';

export type DatabaseTarget =
  | { dialect: 'sqlite'; path: string; memory: boolean }
  | { dialect: 'postgres'; connectionString: string };

/**
 * The URL with its password and credential-like query values (`?password=`) masked: the one
 * masker of config/url-secrets.ts (works on malformed URLs too).
 */
export function maskDatabaseUrl(url: string): string {
  return maskUrlCredentials(url);
}

export function parseDatabaseUrl(raw: string): DatabaseTarget {
  const url = raw.trim();
  const masked = maskDatabaseUrl(url);
  if (url === '') throw new DatabaseUrlError('is empty', masked);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') return parseSqlite(url.slice('sqlite:'.length), masked);
  if (scheme === 'postgres' || scheme === 'postgresql') return parsePostgres(url, masked);
  const reason = scheme === undefined ? 'has no scheme' : `unsupported scheme "${scheme}:"`;
  throw new DatabaseUrlError(reason, masked);
}

function parseSqlite(rest: string, masked: string): DatabaseTarget {
  let path = rest;
  if (path.startsWith('///'))
    path = path.slice(3); // sqlite:///relative.db, sqlite:////abs.db
  else if (path.startsWith('//')) {
    throw new DatabaseUrlError('an sqlite URL takes a file path, not a host', masked);
  }
  path = path.split('?')[0] ?? '';
  if (path === '') throw new DatabaseUrlError('the sqlite file path is empty', masked);
  if (path === ':memory:') return { dialect: 'sqlite', path, memory: true };
  return { dialect: 'sqlite', path, memory: false };
}

function parsePostgres(url: string, masked: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseUrlError('is not a valid URL', masked);
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw new DatabaseUrlError('the postgres URL has no host', masked);
  }
  if (parsed.port !== '' && !/^\d+$/.test(parsed.port)) {
    throw new DatabaseUrlError('the postgres port is not a number', masked);
  }
  return { dialect: 'postgres', connectionString: url };
}
