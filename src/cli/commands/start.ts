/**
 * `centaur start` (what `npm start` runs): the whole system in one process on the embedded
 * defaults — the simulator with a demo account, SQLite, the embedded bus, the engine and the
 * API — or Alpaca's paper service when ALPACA_API_KEY/ALPACA_API_SECRET are set. Prints the URL
 * and what it is connected to; Ctrl-C stops it cleanly.
 */
import type { Command } from 'commander';
import { startAllInOne } from '../all-in-one.js';
import { cliContext } from '../context.js';

export function register(program: Command): void {
  program
    .command('start')
    .description('run everything in one process: simulator (or Alpaca with keys), engine, API')
    .option('--sim-tick-ms <ms>', 'simulator price tick interval in ms (0 freezes prices)', '2000')
    .action(async (opts: { simTickMs: string }) => {
      const { config, log } = cliContext('centaur');
      const system = await startAllInOne(config, log, { simTickMs: Number(opts.simTickMs) });
      const lines = [
        '',
        `  Centaur is running (${config.environment.toUpperCase()}, profile ${config.profileId})`,
        `  Web UI:         ${system.apiUrl}/`,
        `  Control plane:  ${system.apiUrl}   (API docs: ${system.apiUrl}/docs)`,
        `  Broker:         ${system.brokerDescription}`,
        `  Ledger:         ${system.databaseDescription}`,
        `  Command bus:    ${config.bus.kind === 'redis' ? 'Redis Streams' : 'embedded (in the database)'}`,
        '  Stop with Ctrl-C.',
        '',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      log.info('stopping');
      await system.stop();
      log.info('stopped');
    });
}
