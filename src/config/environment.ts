/**
 * The one place that reads the process environment. It merges an optional `.env` file under the
 * real environment (real variables win) and hands out a frozen snapshot. Every configuration
 * schema in Centaur (the core settings, the optional tools) parses from this snapshot, so
 * nothing else in the code base touches `process.env`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface EnvironmentOptions {
  /** Path of the optional `.env` file (default: `.env` in the working directory). */
  envFile?: string | false;
  /** The variables to read instead of `process.env` (tests). */
  source?: Record<string, string | undefined>;
}

/** Reads the environment once: `.env` values first, real variables over them. */
export function readEnvironment(options: EnvironmentOptions = {}): Environment {
  const source = options.source ?? process.env;
  const merged: Record<string, string | undefined> = {};
  const envFile = options.envFile === undefined ? resolve(process.cwd(), '.env') : options.envFile;
  if (envFile !== false && existsSync(envFile)) {
    Object.assign(merged, parseDotenv(readFileSync(envFile)));
  }
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined) merged[key] = value;
  }
  return Object.freeze(merged);
}
