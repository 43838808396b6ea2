/**
 * A secret value (API key, token) that refuses to be printed: string conversion, JSON and
 * util.inspect all show a mask. Only `reveal()` gives the value, at the one place that sends it.
 */
import { inspect } from 'node:util';

const MASK = '********';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  /** A hint safe to show: the last four characters of a long key, else nothing. */
  hint(): string {
    return this.#value.length >= 12 ? `${MASK}${this.#value.slice(-4)}` : MASK;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [inspect.custom](): string {
    return `Secret(${MASK})`;
  }
}
