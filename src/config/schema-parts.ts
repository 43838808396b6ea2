/**
 * The value shapes the variable declarations (variables.ts) are built from: non-empty strings,
 * booleans, bounded numbers of seconds, ports, http(s) URLs, decimal amounts, symbol lists and
 * loss limits. Each parses a raw environment string and refuses a bad value with a message
 * naming what was expected.
 */
import { z } from 'zod';

export const nonEmpty = z.string().trim().min(1, 'must not be empty');

export const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'expected true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const positiveNumber = (max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'expected a positive number of seconds')
    .transform(Number)
    .refine((v) => v > 0 && v <= max, `expected a number above 0 and at most ${max}`);

export const port = z
  .string()
  .trim()
  .regex(/^\d+$/, 'expected a port number')
  .transform(Number)
  .refine((v) => v >= 0 && v <= 65535, 'expected a port between 0 and 65535');

export const httpUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const url = new URL(v);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'expected an http:// or https:// URL')
  .transform((v) => v.replace(/\/+$/, ''));

export const decimalAmount = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, 'expected a non-negative decimal number');

export const wholeNumber = z.string().trim().regex(/^\d+$/, 'expected a whole number').transform(Number);

export const symbolList = z
  .string()
  .trim()
  .regex(/^([A-Za-z0-9./-]+)?(\s*,\s*[A-Za-z0-9./-]+)*$/, 'expected a comma-separated list of symbols')
  .transform((v): readonly string[] =>
    v
      .split(',')
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean),
  );

export const lossLimit = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?%?$/, 'expected an amount (500) or a percentage of last equity (3%)')
  .transform((v) =>
    v.endsWith('%')
      ? { kind: 'percent' as const, value: v.slice(0, -1) }
      : { kind: 'amount' as const, value: v },
  );
