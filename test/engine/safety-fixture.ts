// A large book for kill-switch tests and the benchmark: `n` synthetic assets at $100, a position in
// each, and open limit buys far below the market, some placed through Centaur commands and the rest
// straight at the simulator (outside Centaur).
import { uuidGenerator } from '../../src/adapters/system/system-clock.js';
import type { Broker } from '../../src/ports/broker.js';
import type { AssetSpec } from '../../src/sim/assets.js';
import type { SimulatorOptions } from '../../src/sim/server.js';
import { finishedCommand, type Rig, sendCommand } from './harness.js';

export function symbolsFor(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `K${String(i).padStart(3, '0')}`);
}

export function bookSim(positions: number): SimulatorOptions {
  const symbols = symbolsFor(positions);
  const assets: AssetSpec[] = symbols.map((symbol) => ({ symbol, price: '100.00', name: symbol }));
  return {
    assets,
    cash: '10000000',
    positions: symbols.map((symbol) => ({ symbol, qty: '10', avg_entry_price: '100' })),
  };
}

/** Places `outside` orders straight at the broker and `viaCentaur` through submit_order commands. */
export async function placeOrders(
  rig: Pick<Rig, 'store' | 'bus'>,
  broker: Broker,
  symbols: string[],
  outside: number,
  viaCentaur: number,
): Promise<void> {
  const intent = (i: number) => ({
    symbol: symbols[i % symbols.length] as string,
    side: 'buy' as const,
    qty: '1',
    type: 'limit' as const,
    limitPrice: '50.00',
    timeInForce: 'gtc' as const,
    extendedHours: false,
  });
  await Promise.all(
    Array.from({ length: outside }, (_, i) =>
      broker.submitOrder({ ...intent(i), clientOrderId: `outside-${uuidGenerator.next()}` }),
    ),
  );
  const ids: string[] = [];
  for (let i = 0; i < viaCentaur; i++)
    ids.push(await sendCommand(rig, 'submit_order', { intent: intent(outside + i) }));
  for (const id of ids) {
    const c = await finishedCommand(rig, id, 20_000);
    if (c.status !== 'succeeded') throw new Error(`order command ${id} ${c.status}: ${c.error?.message}`);
  }
}
