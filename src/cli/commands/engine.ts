/**
 * `centaur engine`: runs the engine for ENGINE_PROFILE_ID until SIGINT/SIGTERM (stopped within
 * 5 s, lease released). When its lease lapses (the database was unreachable past the lease, or the
 * process was paused) the engine stops everything it was doing and, once the database answers
 * again, starts again as a new holder; when another engine took the lease it exits 1. Exit codes: 0 stopped cleanly, 1 runtime failure or lease lost, 2 bad
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

/** How long to wait before serving again after the lease lapsed (database unreachable, paused). */
const RESTART_BACKOFF_MS = 2_000;

type Started = Awaited<ReturnType<typeof startEngine>>;

async function runEngine(): Promise<void> {
  const { config, log } = cliContext('engine');
  // Live trading needs the deliberate opt-in, same rule as `centaur start` (exit 2, saying why).
  assertLiveOptIn(config);
  const resources = await openEngineResources(config, log).catch((error: unknown) => {
    if (error instanceof MissingBrokerKeysError) throw new CliError(error.message, 2);
    if (error instanceof PendingMigrationsError) throw new CliError(error.message, 4);
    throw error;
  });
  const start = () =>
    startEngine({
      ...resources,
      options: engineOptionsFromConfig(config),
      clock: systemClock,
      ids: uuidGenerator,
      log,
    });
  let engine: Started;
  try {
    engine = await start();
  } catch (error) {
    await resources.close();
    if (error instanceof LeaseHeldError) throw new CliError(error.message, 3);
    throw error;
  }
  let signal: string | null = null;
  const signalled = new Promise<string>((resolve) => {
    const on = (name: string) => () => {
      signal = name;
      resolve(name);
    };
    process.once('SIGINT', on('SIGINT'));
    process.once('SIGTERM', on('SIGTERM'));
  });
  for (;;) {
    const reason = await Promise.race([signalled, engine.stopped]);
    log.info({ reason }, 'engine shutting down');
    await stopWithin(engine, log);
    if (signal !== null) break;
    // A lapsed lease (database unreachable, process paused) is not the end: once it can be proved
    // again the engine serves again, as a new holder. Taken by another engine: that one serves.
    if (engine.leaseLoss !== 'lapsed') {
      await resources.close();
      throw new CliError(`engine stopped: ${reason}`, 1);
    }
    const next = await restartAfterLapse(start, signalled, log);
    if (next === null) break;
    engine = next;
  }
  await resources.close();
}

async function stopWithin(engine: Started, log: ReturnType<typeof cliContext>['log']): Promise<void> {
  const deadline = new Promise<'timeout'>((resolve) =>
    setTimeout(() => resolve('timeout'), STOP_DEADLINE_MS).unref(),
  );
  const outcome = await Promise.race([engine.stop().then(() => 'stopped' as const), deadline]);
  if (outcome === 'timeout') log.error('engine did not stop within the deadline; exiting');
}

/** Retries the start until it serves (the engine), a signal arrives (null) or another engine serves. */
async function restartAfterLapse(
  start: () => Promise<Started>,
  signalled: Promise<string>,
  log: ReturnType<typeof cliContext>['log'],
): Promise<Started | null> {
  for (;;) {
    const waited = await Promise.race([
      signalled,
      new Promise<null>((r) => setTimeout(() => r(null), RESTART_BACKOFF_MS).unref()),
    ]);
    if (waited !== null) return null;
    try {
      log.warn('profile lease lapsed; starting again');
      return await start();
    } catch (error) {
      if (error instanceof LeaseHeldError) throw new CliError(error.message, 3);
      log.warn({ err: error }, 'engine could not start again yet; retrying');
    }
  }
}

export function register(program: Command): void {
  program
    .command('engine')
    .description('run the engine: the only process that talks to the broker (one per profile)')
    .action(runEngine);
}
