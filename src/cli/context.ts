/**
 * What every `centaur` subcommand starts from: the environment read once, the configuration
 * parsed from it (exit code 2 with every bad variable named when it is invalid), the warnings
 * for likely typos, and a logger for the process.
 */
import { type Config, ConfigError, loadConfig } from '../config/config.js';
import { readEnvironment } from '../config/environment.js';
import { type Logger, loggerFromConfig } from '../logging/logger.js';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface CliContext {
  config: Readonly<Config>;
  log: Logger;
}

/** Loads configuration and a logger for `service`; a bad configuration becomes exit code 2. */
export function cliContext(service: string): CliContext {
  let config: Readonly<Config>;
  try {
    config = loadConfig(readEnvironment());
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 2);
    throw error;
  }
  const log = loggerFromConfig(config, service);
  for (const warning of config.warnings) log.warn(warning);
  return { config, log };
}
