/** `centaur config`: prints the effective configuration, secrets masked. */
import type { Command } from 'commander';
import { describeConfig } from '../../config/config.js';
import { cliContext } from '../context.js';

export function register(program: Command): void {
  program
    .command('config')
    .description('print the effective configuration (from the environment and .env), secrets masked')
    .action(() => {
      const { config } = cliContext('cli');
      process.stdout.write(`${JSON.stringify(describeConfig(config), null, 2)}\n`);
    });
}
