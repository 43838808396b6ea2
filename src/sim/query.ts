/**
 * Query-string readers for the REST routes: lists given as repeated keys or comma separated,
 * booleans, bounded integers, enums, and timestamps given as `YYYY-MM-DD` or full RFC 3339.
 * Must preserve: a bad value is a 422 SimError naming the parameter, never NaN carried inward.
 */
import { simErrors } from './errors.js';
import { etInstant } from './session-calendar.js';

export type Query = Record<string, unknown>;

export function first(q: Query, name: string): string | undefined {
  const raw = q[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

export function list(q: Query, name: string): string[] | null {
  const raw = q[name];
  if (raw === undefined || raw === '') return null;
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(','));
  const cleaned = values.map((v) => v.trim()).filter((v) => v !== '');
  return cleaned.length > 0 ? cleaned : null;
}

export function bool(q: Query, name: string, fallback: boolean): boolean {
  const v = first(q, name);
  if (v === undefined) return fallback;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw simErrors.invalid(`invalid ${name}: ${v}`);
}

export function int(q: Query, name: string, fallback: number, min: number, max: number): number {
  const v = first(q, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) throw simErrors.invalid(`invalid ${name}: ${v}`);
  const n = Number(v);
  if (n < min || n > max) throw simErrors.invalid(`${name} must be between ${min} and ${max}`);
  return n;
}

export function oneOf<T extends string>(q: Query, name: string, values: readonly T[], fallback: T): T {
  const v = first(q, name);
  if (v === undefined) return fallback;
  if (!values.includes(v as T)) throw simErrors.invalid(`invalid ${name}: ${v}`);
  return v as T;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})$/;

/** A timestamp parameter; a bare date means midnight ET of that day (or `dateTime` of it). */
export function instant(q: Query, name: string, dateTime = '00:00'): number | null {
  const v = first(q, name);
  if (v === undefined) return null;
  return parseInstant(v, name, dateTime);
}

export function parseInstant(v: string, name: string, dateTime = '00:00'): number {
  if (DATE_ONLY.test(v)) return etInstant(v, dateTime);
  if (ISO.test(v)) {
    const ms = Date.parse(v.replace(/(\.\d{3})\d+/, '$1'));
    if (!Number.isNaN(ms)) return ms;
  }
  throw simErrors.invalid(`invalid ${name}: ${v}`);
}
