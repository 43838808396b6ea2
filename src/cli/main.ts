/**
 * Runs the `centaur` command. Exit codes: 0 success, 1 runtime failure, 2 bad configuration or usage
 * (some commands document more, e.g. `centaur engine`).
 */
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';

/** After a command has finished, a lingering handle (a retry timer, a socket) must not keep the process alive. */
const EXIT_GRACE_MS = 2_000;

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = (error as { exitCode?: number }).exitCode ?? 1;
  }
} finally {
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}
