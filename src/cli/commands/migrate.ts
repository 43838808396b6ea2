/**
 * `centaur migrate`: applies pending database migrations, the only way tables are created.
 * Running it twice is a no-op the second time. A database that cannot be reached or a malformed
 * DATABASE_URL exits with 2 (configuration); a failed migration with 1, and nothing of its batch
 * is applied.
 */
import type { Command } from 'commander';
import {
  createDatabase,
  DatabaseUrlError,
  maskDatabaseUrl,
  migrateToLatest,
} from '../../adapters/storage/index.js';
import { CliError, cliContext } from '../context.js';

const CONNECTION_ERRORS =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|password authentication|does not exist|SQLITE_CANTOPEN|unable to open|no such host|timeout exceeded when trying to connect/i;

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (DATABASE_URL); a no-op when up to date')
    .action(async () => {
      const { config, log } = cliContext('migrate');
      const where = maskDatabaseUrl(config.database.url);
      let db: ReturnType<typeof createDatabase>;
      try {
        db = createDatabase(config.database.url);
      } catch (error) {
        if (error instanceof DatabaseUrlError) throw new CliError(error.message, 2);
        throw error;
      }
      try {
        const { applied } = await migrateToLatest(db);
        const message = applied.length
          ? `applied ${applied.length} migration(s) to ${where}: ${applied.join(', ')}`
          : `database ${where} is up to date; nothing to apply`;
        log.info({ applied }, message);
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        if (CONNECTION_ERRORS.test(detail)) {
          throw new CliError(`cannot open the database at ${where} (DATABASE_URL): ${detail}`, 2);
        }
        throw new CliError(`migration failed on ${where}: ${detail}`, 1);
      } finally {
        await db.destroy();
      }
    });
}
