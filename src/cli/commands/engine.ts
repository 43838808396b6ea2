/**
 * `centaur engine`: runs the engine for ENGINE_PROFILE_ID until SIGINT/SIGTERM (stopped within
 * 5 s, lease released). When its lease lapses (the database was unreachable past the lease, or the
 * process was paused) the engine stops what it was doing and serves again as a new holder once the
 * database answers (../engine-supervisor.ts). Exit codes: 0 stopped cleanly, 1 runtime failure or
 * lease taken by another engine, 2 bad configuration (or no broker keys), 3 another engine holds
 * the profile lease, 4 the database has pending migrations (run `centaur migrate`).
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
import { type SupervisedEngine, superviseEngine } from '../engine-supervisor.js';

async function runEngine(): Promise<void> {
  const { config, log } = cliContext('engine');
  // Live trading needs the deliberate opt-in, same rule as `centaur start` (exit 2, saying why).
  assertLiveOptIn(config);
  const resources = await openEngineResources(config, log).catch((error: unknown) => {
    if (error instanceof MissingBrokerKeysError) throw new CliError(error.message, 2);
    if (error instanceof PendingMigrationsError) throw new CliError(error.message, 4);
    throw error;
  });
  let supervised: SupervisedEngine;
  try {
    supervised = await superviseEngine(
      () =>
        startEngine({
          ...resources,
          options: engineOptionsFromConfig(config),
          clock: systemClock,
          ids: uuidGenerator,
          log,
        }),
      log,
    );
  } catch (error) {
    await resources.close();
    if (error instanceof LeaseHeldError) throw new CliError(error.message, 3);
    throw error;
  }
  const signalled = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const outcome = await Promise.race([signalled, supervised.ended]);
  log.info({ reason: typeof outcome === 'string' ? outcome : outcome.reason }, 'engine shutting down');
  await supervised.stop();
  await resources.close();
  if (typeof outcome !== 'string') throw new CliError(outcome.reason, outcome.leaseHeld ? 3 : 1);
}

export function register(program: Command): void {
  program
    .command('engine')
    .description('run the engine: the only process that talks to the broker (one per profile)')
    .action(runEngine);
}
