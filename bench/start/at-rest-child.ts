/** Child of start-bench: the all-in-one with 100 positions, measured at rest after it settled. */
import { startAllInOne } from '../../src/cli/all-in-one.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';

const symbols = Array.from({ length: 100 }, (_, i) => `SYM${String(i).padStart(3, '0')}`);
const config = loadConfig({ API_PORT: '0', LOG_LEVEL: 'warn' });
const log = createLogger({ service: 'bench', profileId: 'default', environment: 'paper', level: 'warn' });
const system = await startAllInOne(config, log, {
  simTickMs: 2_000,
  simulator: {
    assets: symbols.map((symbol, i) => ({ symbol, price: String(20 + i) })),
    cash: '1000000',
    positions: symbols.map((symbol, i) => ({ symbol, qty: String(10 + i), avg_entry_price: String(19 + i) })),
    rateLimit: 0,
  },
});
await system.engine.ready();
const positions = (await (await fetch(`${system.apiUrl}/state/positions`)).json()) as {
  positions: unknown[];
};
await new Promise((r) => setTimeout(r, 15_000)); // at rest: syncs, heartbeats, price ticks running
globalThis.gc?.();
const m = process.memoryUsage();
console.log(
  JSON.stringify({
    rssMb: Math.round(m.rss / 1e5) / 10,
    heapMb: Math.round(m.heapUsed / 1e5) / 10,
    positions: positions.positions.length,
  }),
);
await system.stop();
process.exit(0);
