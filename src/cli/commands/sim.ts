/**
 * `centaur sim`: runs the Alpaca-compatible paper broker simulator standalone, prints its URLs,
 * keys and settings, and stops cleanly on SIGINT/SIGTERM.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../../sim/server.js';

function integer(name: string, min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min)
      throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
    return Number(value);
  };
}

function probability(value: string): number {
  const n = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || n < 0 || n > 1)
    throw new InvalidArgumentError('must be a number between 0 and 1');
  return n;
}

interface SimFlags {
  host: string;
  port: number;
  key: string;
  secret: string;
  seed: number;
  cash: string;
  rateLimit: number;
  clock: 'always-open' | 'calendar';
  tickMs: number;
  partialFills: number;
  multiplier: string;
  frames: 'binary' | 'text';
  dayExpiry: 'expired' | 'canceled';
  maxStreams: number;
}

export function describeSimulator(sim: RunningSimulator, flags: SimFlags): string {
  return [
    'Centaur paper broker simulator (Alpaca-compatible)',
    `  trading REST   ${sim.tradingUrl}`,
    `  trade stream   ${sim.streamUrl}`,
    `  market data    ${sim.dataUrl}`,
    `  key id         ${sim.keyId}`,
    `  secret         ${sim.secret}`,
    `  seed ${flags.seed} · cash ${flags.cash} · multiplier ${flags.multiplier} · clock ${flags.clock}`,
    `  rate limit ${flags.rateLimit === 0 ? 'off' : `${flags.rateLimit}/min`} · ticker ${flags.tickMs === 0 ? 'off' : `${flags.tickMs} ms`} · partial fills ${flags.partialFills} · frames ${flags.frames} · DAY orders end ${flags.dayExpiry}`,
    '  control        POST /_sim/prices | /_sim/stream/drop | /_sim/faults | /_sim/reset | /_sim/clock | /_sim/eod, GET /_sim/stats',
    'Press Ctrl+C to stop.',
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('sim')
    .description('Run the Alpaca-compatible paper broker simulator')
    .option('--host <host>', 'bind address', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', integer('port', 0), 4010)
    .option('--key <key>', 'API key id clients must send', 'SIMKEY')
    .option('--secret <secret>', 'API secret clients must send', 'SIMSECRET')
    .option('--seed <n>', 'seed of the price paths and partial fills', integer('seed', 0), 1)
    .option('--cash <amount>', 'starting cash', '100000')
    .option('--rate-limit <n>', 'requests per minute per key (0 = off)', integer('rate-limit', 0), 200)
    .addOption(
      new Option('--clock <mode>', 'market clock')
        .choices(['always-open', 'calendar'])
        .default('always-open'),
    )
    .option(
      '--tick-ms <ms>',
      'random-walk step period (0 = prices move only via /_sim/prices)',
      integer('tick-ms', 0),
      1000,
    )
    .option('--partial-fills <p>', 'probability of a partial execution', probability, 0.1)
    .addOption(
      new Option('--multiplier <m>', 'buying-power multiplier').choices(['1', '2', '4']).default('2'),
    )
    .addOption(
      new Option('--frames <kind>', 'stream frame type').choices(['binary', 'text']).default('binary'),
    )
    .addOption(
      new Option('--day-expiry <status>', 'status of unfilled DAY orders at the close')
        .choices(['expired', 'canceled'])
        .default('expired'),
    )
    .option('--max-streams <n>', 'trade_updates connections per key', integer('max-streams', 1), 1)
    .action(async (flags: SimFlags) => {
      const options: SimulatorOptions = {
        host: flags.host,
        port: flags.port,
        keyId: flags.key,
        secret: flags.secret,
        seed: flags.seed,
        cash: flags.cash,
        rateLimit: flags.rateLimit,
        clock: flags.clock,
        tickIntervalMs: flags.tickMs,
        partialFillProbability: flags.partialFills,
        multiplier: flags.multiplier,
        frames: flags.frames,
        dayExpiryStatus: flags.dayExpiry,
        maxStreamsPerKey: flags.maxStreams,
      };
      const sim = await startSimulator(options);
      console.log(describeSimulator(sim, flags));
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          sim.stop().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      console.log('simulator stopped');
    });
}
