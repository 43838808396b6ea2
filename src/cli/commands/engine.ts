/**
 * `centaur engine`: runs the engine for ENGINE_PROFILE_ID until SIGINT/SIGTERM (stopped within
 * 5 s, lease released). Exit codes: 0 stopped cleanly, 1 runtime failure or lease lost, 2 bad
 * configuration (or no broker keys), 3 another engine holds the profile lease, 4 the database has
 * pending migrations (run `centaur migrate`).
 */
import type { Command } from 'commander';
import { PendingMigrationsError } from '../../adapters/storage/index.js';
import { systemClock, uuidGenerator } from '../../adapters/system/system-clock.js';
import { startEngine } from '../../engine/engine.js';
import { engineOptionsFromConfig } from '../../engine/engine-options.js';
import { LeaseHeldError } from '../../engine/lease.js';
import { MissingBrokerKeysError, openEngineResources } from '../../engine/wiring.js';
import { assertLiveOptIn } from '../all-in-one.js';
import { CliError, cliContext } from '../context.js';

const STOP_DEADLINE_MS = 4_500;

async function runEngine(): Promise<void> {
  const { config, log } = cliContext('engine');
  // Live trading needs the deliberate opt-in, same rule as `centaur start` (exit 2, saying why).
  assertLiveOptIn(config);
  const resources = await openEngineResources(config, log).catch((error: unknown) => {
    if (error instanceof MissingBrokerKeysError) throw new CliError(error.message, 2);
    if (error instanceof PendingMigrationsError) throw new CliError(error.message, 4);
    throw error;
  });
  let engine: Awaited<ReturnType<typeof startEngine>>;
  try {
    engine = await startEngine({
      ...resources,
      options: engineOptionsFromConfig(config),
      clock: systemClock,
      ids: uuidGenerator,
      log,
    });
  } catch (error) {
    await resources.close();
    if (error instanceof LeaseHeldError) throw new CliError(error.message, 3);
    throw error;
  }
  const signalled = new Promise<string>((resolve) => {
    const on = (signal: string) => () => resolve(signal);
    process.once('SIGINT', on('SIGINT'));
    process.once('SIGTERM', on('SIGTERM'));
  });
  const reason = await Promise.race([signalled, engine.stopped]);
  log.info({ reason }, 'engine shutting down');
  const deadline = new Promise<'timeout'>((resolve) =>
    setTimeout(() => resolve('timeout'), STOP_DEADLINE_MS).unref(),
  );
  const outcome = await Promise.race([engine.stop().then(() => 'stopped' as const), deadline]);
  if (outcome === 'timeout') log.error('engine did not stop within the deadline; exiting');
  await resources.close();
  if (reason !== 'SIGINT' && reason !== 'SIGTERM') throw new CliError(`engine stopped: ${reason}`, 1);
}

export function register(program: Command): void {
  program
    .command('engine')
    .description('run the engine: the only process that talks to the broker (one per profile)')
    .action(runEngine);
}
