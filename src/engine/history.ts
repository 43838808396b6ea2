/**
 * Portfolio history imported at startup into the account series (source 'history'), so the P&L
 * curve is not empty on day one. Only points after the last imported one are appended (a
 * watermark), so restarts do not duplicate. History carries equity only: the other balance fields
 * are recorded as zero and the status as 'history'; readers tell the rows apart by `source`.
 */
import { readWatermark, WATERMARKS, writeWatermark } from '../contract/watermarks.js';
import { compareTimestamps } from '../core/time.js';
import type { Broker } from '../ports/broker.js';
import type { Store } from '../ports/store.js';

export async function importPortfolioHistory(
  store: Store,
  broker: Broker,
  profileId: string,
  query: { period: string; timeframe: string } = { period: '1M', timeframe: '1D' },
): Promise<number> {
  const points = await broker.getPortfolioHistory(query, { lane: 'read' });
  const mark = await readWatermark(store.watermarks, profileId, WATERMARKS.historyImportedUntil);
  const fresh = points.filter((p) => mark === null || compareTimestamps(p.at, mark) > 0);
  if (fresh.length === 0) return 0;
  let previous = points[points.indexOf(fresh[0] as (typeof points)[number]) - 1]?.equity ?? null;
  await store.transaction(async (tx) => {
    for (const p of fresh) {
      await tx.accounts.append(profileId, {
        at: p.at,
        status: 'history',
        currency: 'USD',
        cash: '0',
        equity: p.equity,
        lastEquity: previous ?? p.equity,
        buyingPower: '0',
        longMarketValue: '0',
        shortMarketValue: '0',
        multiplier: '1',
        shortingEnabled: false,
        tradingBlocked: false,
        accountBlocked: false,
        tradeSuspendedByUser: false,
        source: 'history',
      });
      previous = p.equity;
    }
    await writeWatermark(
      tx.watermarks,
      profileId,
      WATERMARKS.historyImportedUntil,
      (fresh[fresh.length - 1] as (typeof points)[number]).at,
    );
  });
  return fresh.length;
}
