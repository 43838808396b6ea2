/**
 * Structured logs (pino): JSON lines carrying service, profile, environment and version, or
 * readable lines on a terminal. Secrets are removed three times: known secret fields are redacted
 * by path; every configured secret value (each variable declared secret in
 * src/config/variables.ts: keys, token, the database and Redis passwords and credential query
 * values, the whole webhook URL and its path) is scrubbed from each line before it is written,
 * wherever it appears; and every URL in a line loses its credentials
 * (config/url-secrets.ts), so a connection string quoted by a driver error never shows a password.
 */
import { type DestinationStream, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';
import { type Config, configSecrets } from '../config/config.js';
import type { Secret } from '../config/secret.js';
import { maskUrlsInText } from '../config/url-secrets.js';
import { VERSION } from '../version.js';

export type { Logger };

export const REDACTED = '[REDACTED]';

/** Field paths that hold secrets wherever they appear in a log object. */
export const REDACT_PATHS = [
  'secret',
  'token',
  'password',
  'apiKey',
  'keyId',
  '*.secret',
  '*.token',
  '*.password',
  '*.apiKey',
  '*.keyId',
  'headers.authorization',
  'req.headers.authorization',
  'headers["apca-api-secret-key"]',
  'headers["apca-api-key-id"]',
  'req.headers["apca-api-secret-key"]',
  'req.headers["apca-api-key-id"]',
];

export interface LoggerOptions {
  service: string;
  profileId: string;
  environment: 'paper' | 'live';
  level?: string;
  /** Secret values scrubbed from every line. */
  secrets?: ReadonlyArray<Secret | string | null | undefined>;
  /** Where lines go (default: stdout, pretty-printed when it is a terminal). */
  destination?: DestinationStream;
  pretty?: boolean;
}

/**
 * Replaces every occurrence of each secret value in a line (longest first, so a value that
 * contains another is removed whole), then masks the credentials of every URL left in it.
 */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const value of secrets) {
    if (value.length >= 4 && out.includes(value)) out = out.split(value).join(REDACTED);
  }
  return maskUrlsInText(out);
}

/** The secret values to scrub, as strings, longest first; values under 4 characters are skipped. */
export function secretValues(secrets: ReadonlyArray<Secret | string | null | undefined>): string[] {
  const values = secrets
    .map((s) => (s === null || s === undefined ? '' : typeof s === 'string' ? s : s.reveal()))
    .filter((s) => s.length >= 4);
  // A value also appears JSON-escaped inside a log line ("p\"w" for p"w).
  const escaped = values.map((v) => JSON.stringify(v).slice(1, -1)).filter((v) => !values.includes(v));
  return [...new Set([...values, ...escaped])].sort((a, b) => b.length - a.length);
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = secretValues(options.secrets ?? []);
  const usePretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
  const destination =
    options.destination ??
    (usePretty
      ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
      : pino.destination(1));
  return pino(
    {
      level: options.level ?? 'info',
      base: {
        service: options.service,
        profile: options.profileId,
        environment: options.environment,
        version: VERSION,
      },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
    },
    destination,
  );
}

/** The logger of a Centaur process, from its configuration. */
export function loggerFromConfig(
  config: Readonly<Config>,
  service: string,
  destination?: DestinationStream,
): Logger {
  return createLogger({
    service,
    profileId: config.profileId,
    environment: config.environment,
    level: config.logLevel,
    // The variables declared secret (src/config/variables.ts), whatever their kind.
    secrets: configSecrets(config),
    ...(destination ? { destination } : {}),
  });
}
