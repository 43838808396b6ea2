/**
 * Primes the market-data cache the API's draft preview reads (assets and quotes), from the
 * simulator's own REST answers, when the engine has not cached a symbol yet. The engine fills
 * this cache in production (the only process with broker credentials); this keeps the browser
 * suite about the UI while that part of the engine lands, and is a no-op once it has.
 */
import { createDatabase, createStore } from '../../src/adapters/storage/index.js';
import type { RunningSystem } from '../../src/cli/all-in-one.js';

export async function primeMarketData(
  system: RunningSystem,
  databaseUrl: string,
  symbols: string[],
): Promise<string[]> {
  const sim = system.simulator;
  if (!sim) throw new Error('the UI suite runs on the embedded simulator');
  const headers = { 'APCA-API-KEY-ID': sim.keyId, 'APCA-API-SECRET-KEY': sim.secret };
  const db = createDatabase(databaseUrl);
  const store = createStore(db);
  const primed: string[] = [];
  try {
    const now = new Date().toISOString();
    for (const symbol of symbols) {
      const cached = await store.marketData.getQuote('default', symbol);
      if (cached && Date.now() - Date.parse(cached.at) < 30_000) continue;
      const asset = (await (
        await fetch(`${sim.tradingUrl}/v2/assets/${symbol}`, { headers })
      ).json()) as Record<string, unknown>;
      const body = (await (
        await fetch(`${sim.dataUrl}/v2/stocks/${symbol}/quotes/latest`, { headers })
      ).json()) as {
        quote: { bp: number; ap: number };
      };
      await store.marketData.upsertAssets('default', [
        {
          symbol,
          name: String(asset.name ?? symbol),
          status: asset.status === 'inactive' ? 'inactive' : 'active',
          tradable: asset.tradable !== false,
          fractionable: asset.fractionable === true,
          shortable: asset.shortable === true,
          easyToBorrow: asset.easy_to_borrow === true,
          updatedAt: now,
        },
      ]);
      const mid = ((body.quote.bp + body.quote.ap) / 2).toFixed(2);
      await store.marketData.upsertQuotes('default', [
        { symbol, last: mid, bid: String(body.quote.bp), ask: String(body.quote.ap), at: now },
      ]);
      primed.push(symbol);
    }
  } finally {
    await db.destroy();
  }
  return primed;
}

/**
 * Whether the ledger holds a quote for `symbol` the API prices drafts with: one no older than
 * the API's quote age limit (quoteMaxAgeMs, 60 s by default; src/api/context.ts).
 */
export async function quoteUsable(databaseUrl: string, symbol: string, maxAgeMs = 60_000): Promise<boolean> {
  const db = createDatabase(databaseUrl);
  try {
    const quote = await createStore(db).marketData.getQuote('default', symbol);
    return quote !== null && Date.now() - Date.parse(quote.at) <= maxAgeMs;
  } finally {
    await db.destroy();
  }
}
