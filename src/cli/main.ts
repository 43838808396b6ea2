/**
 * Runs the `centaur` command. Exit codes: 0 success, 1 runtime failure, 2 bad configuration or usage.
 */
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = (error as { exitCode?: number }).exitCode ?? 1;
  }
}
