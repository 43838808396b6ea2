/**
 * Decimal arithmetic for money and quantities. Everything that is a price, a quantity or an
 * amount travels as a decimal string and is computed with decimal.js, never with binary floats.
 */
import { Decimal as DecimalJs } from 'decimal.js';

export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_EVEN });
export type Decimal = InstanceType<typeof Decimal>;

/** A decimal number in its canonical string form ("12.5", "-3", "0.0001"). */
export type DecimalString = string;

const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export class DecimalParseError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
  ) {
    super(`${field}: expected a decimal number, got ${JSON.stringify(value)}`);
    this.name = 'DecimalParseError';
  }
}

/** Parses a decimal from a string or a finite number; throws DecimalParseError otherwise. */
export function dec(value: unknown, field = 'value'): Decimal {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new DecimalParseError(field, value);
    return new Decimal(String(value));
  }
  if (typeof value === 'string' && DECIMAL_RE.test(value.trim())) return new Decimal(value.trim());
  if (value instanceof Decimal) return value;
  throw new DecimalParseError(field, value);
}

/** Parses an optional decimal: null and undefined stay null. */
export function decOrNull(value: unknown, field = 'value'): Decimal | null {
  return value === null || value === undefined || value === '' ? null : dec(value, field);
}

/** True when the value parses as a finite decimal. */
export function isDecimal(value: unknown): boolean {
  try {
    dec(value);
    return true;
  } catch {
    return false;
  }
}

/** Canonical string form without exponent or trailing zeros ("1.50" -> "1.5"). */
export function str(value: Decimal): DecimalString {
  return value.toFixed();
}

export const ZERO = new Decimal(0);
