/**
 * Conversions between domain values and column values shared by the repositories: sortable time
 * keys, JSON text, 0/1 booleans, and checked enums (a row that does not map fails loudly).
 */
import { type Timestamp, toTimestamp } from '../../core/time.js';
import { StorageDataError } from './errors.js';

/**
 * A fixed-width UTC text form of a timestamp ("2026-08-03T13:31:02.401233000Z", always nine
 * fractional digits). RFC 3339 strings with varying fraction lengths do not sort as text; these
 * do, with nanosecond precision, in SQLite and Postgres alike.
 */
export function timeKey(value: Timestamp): string {
  const normalized = toTimestamp(value); // UTC, at least millisecond digits
  const [base, fraction = ''] = normalized.slice(0, -1).split('.');
  return `${base}.${fraction.padEnd(9, '0')}Z`;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function fromJson<T>(text: string, table: string, column: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new StorageDataError(table, column, text);
  }
}

export function fromJsonOrNull<T>(text: string | null, table: string, column: string): T | null {
  return text === null ? null : fromJson<T>(text, table, column);
}

export function toFlag(value: boolean): number {
  return value ? 1 : 0;
}

export function fromFlag(value: number | boolean): boolean {
  return value === true || Number(value) === 1;
}

/** Checks that a stored text is one of the allowed values. */
export function oneOf<T extends string>(
  allowed: readonly T[],
  value: string,
  table: string,
  column: string,
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new StorageDataError(table, column, value);
}
