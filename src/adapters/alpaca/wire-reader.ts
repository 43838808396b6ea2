/**
 * Typed reads of Alpaca wire JSON (snake_case, decimals as strings, RFC 3339 timestamps) for the
 * mappers. Every read names the field it read, so bad broker data fails loudly with a
 * `WireDataError` ("order.filled_avg_price: expected a decimal, got \"abc\"") instead of
 * travelling inward as NaN, an invalid date or an unknown enum value.
 * Must preserve: decimals come out canonical (decimal.js), timestamps keep their sub-millisecond
 * digits (core/time), and a missing required field is an error, never a default.
 */
import { DecimalParseError, type DecimalString, dec, str } from '../../core/decimal.js';
import { type Timestamp, TimestampParseError, toTimestamp } from '../../core/time.js';
import { BrokerError } from '../../ports/broker.js';

/** Broker data that cannot be mapped to the domain: names the field and the value. */
export class WireDataError extends BrokerError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super('bad_data', `${field}: ${reason}, got ${describe(value)}`);
    this.name = 'WireDataError';
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const absent = (v: unknown): boolean => v === null || v === undefined;

/** A JSON object from the wire with the path it was found at ("order", "positions[2]"). */
export class WireReader {
  private constructor(
    readonly raw: Record<string, unknown>,
    readonly path: string,
  ) {}

  static of(value: unknown, path: string): WireReader {
    if (!isRecord(value)) throw new WireDataError(path, value, 'expected an object');
    return new WireReader(value, path);
  }

  static array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) throw new WireDataError(path, value, 'expected an array');
    return value;
  }

  field(key: string): string {
    return `${this.path}.${key}`;
  }

  has(key: string): boolean {
    return !absent(this.raw[key]);
  }

  object(key: string): WireReader {
    return WireReader.of(this.raw[key], this.field(key));
  }

  string(key: string): string {
    const v = this.raw[key];
    if (typeof v !== 'string') throw new WireDataError(this.field(key), v, 'expected a string');
    return v;
  }

  nonEmpty(key: string): string {
    const v = this.string(key);
    if (v.trim() === '') throw new WireDataError(this.field(key), v, 'expected a non-empty string');
    return v;
  }

  stringOrNull(key: string): string | null {
    const v = this.raw[key];
    return absent(v) || v === '' ? null : this.string(key);
  }

  bool(key: string): boolean {
    const v = this.raw[key];
    if (typeof v !== 'boolean') throw new WireDataError(this.field(key), v, 'expected a boolean');
    return v;
  }

  /** A boolean Alpaca may omit (older payloads); absent means false. */
  boolOrFalse(key: string): boolean {
    return absent(this.raw[key]) ? false : this.bool(key);
  }

  decimal(key: string): DecimalString {
    const v = this.raw[key];
    try {
      return str(dec(v, this.field(key)));
    } catch (err) {
      if (err instanceof DecimalParseError) throw new WireDataError(this.field(key), v, 'expected a decimal');
      throw err;
    }
  }

  decimalOrNull(key: string): DecimalString | null {
    const v = this.raw[key];
    return absent(v) || v === '' ? null : this.decimal(key);
  }

  timestamp(key: string): Timestamp {
    const v = this.raw[key];
    try {
      return toTimestamp(v, this.field(key));
    } catch (err) {
      if (err instanceof TimestampParseError) {
        throw new WireDataError(this.field(key), v, 'expected an RFC 3339 timestamp');
      }
      throw err;
    }
  }

  timestampOrNull(key: string): Timestamp | null {
    const v = this.raw[key];
    return absent(v) || v === '' ? null : this.timestamp(key);
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T {
    const v = this.raw[key];
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      throw new WireDataError(this.field(key), v, `expected one of ${values.join(', ')}`);
    }
    return v as T;
  }

  integer(key: string): number {
    const v = this.raw[key];
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new WireDataError(this.field(key), v, 'expected an integer');
    }
    return v;
  }
}
