/**
 * Child of sse-bench: the all-in-one exactly as `npm start` builds it (embedded simulator with the
 * demo account, SQLite, embedded bus, engine and API in one process, price ticks every 2 s), except
 * that the simulator's request rate limit is off so the benchmark's orders are not refused. Prints
 * one JSON line with the URLs and keys once the engine is ready, then runs until SIGTERM.
 */
import { startAllInOne } from '../../src/cli/all-in-one.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';

const config = loadConfig({ API_PORT: process.env.API_PORT ?? '0', LOG_LEVEL: 'warn' });
const log = createLogger({ service: 'bench', profileId: 'default', environment: 'paper', level: 'warn' });
const system = await startAllInOne(config, log, { simTickMs: 2_000, simulator: { rateLimit: 0 } });
await system.engine.ready();
await system.engine.streamHealthy();
const sim = system.simulator;
if (sim === null) throw new Error('the all-in-one did not embed the simulator');
console.log(
  JSON.stringify({ apiUrl: system.apiUrl, simUrl: sim.tradingUrl, keyId: sim.keyId, secret: sim.secret }),
);
await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
await system.stop();
process.exit(0);
