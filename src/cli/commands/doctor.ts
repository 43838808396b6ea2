/** `centaur doctor`: checks configuration, database, migrations, Redis, broker, clock; prints the fix for each problem. */
import type { Command } from 'commander';
import { readEnvironment } from '../../config/environment.js';
import { formatReport, runDoctor } from '../doctor.js';

export function register(program: Command): void {
  program
    .command('doctor')
    .description('check configuration, database, migrations, Redis, broker keys and clock skew; print fixes')
    .action(async () => {
      const results = await runDoctor(readEnvironment());
      process.stdout.write(`${formatReport(results)}\n`);
      const failed = results.filter((r) => r.status === 'fail').length;
      process.stdout.write(failed ? `\n${failed} problem(s) found.\n` : '\nAll checks passed.\n');
      if (failed) process.exitCode = 1;
    });
}
