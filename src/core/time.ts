/**
 * Timestamps in the domain are RFC 3339 strings in UTC ("2026-08-03T13:31:02.401233Z"). The broker
 * sends nanosecond precision, which a JavaScript Date cannot hold, so ordering is done on the
 * parsed (epoch milliseconds, sub-millisecond nanoseconds) pair instead of on Date objects.
 */

/** An RFC 3339 timestamp in UTC, as stored and sent on the wire. */
export type Timestamp = string;

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

export class TimestampParseError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
  ) {
    super(`${field}: expected an RFC 3339 timestamp, got ${JSON.stringify(value)}`);
    this.name = 'TimestampParseError';
  }
}

interface ParsedTime {
  ms: number;
  subMsNanos: number;
}

function parse(value: string, field: string): ParsedTime {
  const m = RFC3339.exec(value);
  if (!m) throw new TimestampParseError(field, value);
  const fraction = (m[4] ?? '').padEnd(9, '0');
  const base = Date.parse(`${m[1]}T${m[2]}${m[5] === 'z' ? 'Z' : m[5]}`);
  if (Number.isNaN(base)) throw new TimestampParseError(field, value);
  return { ms: base + Number(fraction.slice(0, 3)), subMsNanos: Number(fraction.slice(3)) };
}

/** Normalises any RFC 3339 timestamp to UTC, keeping its sub-millisecond digits. */
export function toTimestamp(value: unknown, field = 'timestamp'): Timestamp {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TimestampParseError(field, value);
    return value.toISOString();
  }
  if (typeof value !== 'string') throw new TimestampParseError(field, value);
  const { ms, subMsNanos } = parse(value, field);
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  if (subMsNanos === 0) return iso;
  const extra = String(subMsNanos).padStart(6, '0').replace(/0+$/, '');
  return `${iso.slice(0, -1)}${extra}Z`;
}

/** Like toTimestamp, but null and undefined stay null. */
export function toTimestampOrNull(value: unknown, field = 'timestamp'): Timestamp | null {
  return value === null || value === undefined || value === '' ? null : toTimestamp(value, field);
}

/** Orders two timestamps: negative when a is earlier, 0 when equal, positive when later. */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  const pa = parse(a, 'a');
  const pb = parse(b, 'b');
  return pa.ms - pb.ms || pa.subMsNanos - pb.subMsNanos;
}

/** Milliseconds since the epoch (sub-millisecond digits dropped). */
export function timestampMs(value: Timestamp): number {
  return parse(value, 'timestamp').ms;
}
