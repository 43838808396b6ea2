/**
 * The market-data cache (assets, latest quotes, watched symbols). Plain upserts keyed by
 * (profile, symbol); a quote upsert keeps the newer of the stored and the offered quote, so a
 * late writer can never roll a price back in time.
 */
import type { Selectable } from 'kysely';
import type { Timestamp } from '../../core/time.js';
import type { AssetRecord, MarketDataRepository, QuoteRecord } from '../../ports/store.js';
import type { Db } from './database.js';
import type { AssetsTable, QuotesTable } from './market-data.table.js';
import { fromFlag, oneOf, timeKey, toFlag } from './row-values.js';

export function rowToAsset(row: Selectable<AssetsTable>): AssetRecord {
  return {
    symbol: row.symbol,
    name: row.name,
    status: oneOf(['active', 'inactive'] as const, row.status, 'assets', 'status'),
    tradable: fromFlag(row.tradable),
    fractionable: fromFlag(row.fractionable),
    shortable: fromFlag(row.shortable),
    easyToBorrow: fromFlag(row.easy_to_borrow),
    updatedAt: row.updated_at,
  };
}

export function rowToQuote(row: Selectable<QuotesTable>): QuoteRecord {
  return { symbol: row.symbol, last: row.last, bid: row.bid, ask: row.ask, at: row.at };
}

export async function upsertAssets(db: Db, profileId: string, assets: readonly AssetRecord[]): Promise<void> {
  for (const a of assets) {
    const values = {
      name: a.name,
      status: a.status,
      tradable: toFlag(a.tradable),
      fractionable: toFlag(a.fractionable),
      shortable: toFlag(a.shortable),
      easy_to_borrow: toFlag(a.easyToBorrow),
      updated_at: a.updatedAt,
      updated_at_key: timeKey(a.updatedAt),
    };
    await db
      .insertInto('assets')
      .values({ profile_id: profileId, symbol: a.symbol, ...values })
      .onConflict((oc) => oc.columns(['profile_id', 'symbol']).doUpdateSet(values))
      .execute();
  }
}

export async function getAsset(db: Db, profileId: string, symbol: string): Promise<AssetRecord | null> {
  const row = await db
    .selectFrom('assets')
    .selectAll()
    .where('profile_id', '=', profileId)
    .where('symbol', '=', symbol)
    .executeTakeFirst();
  return row ? rowToAsset(row) : null;
}

export async function upsertQuotes(db: Db, profileId: string, quotes: readonly QuoteRecord[]): Promise<void> {
  for (const q of quotes) {
    const values = { last: q.last, bid: q.bid, ask: q.ask, at: q.at, at_key: timeKey(q.at) };
    await db
      .insertInto('quotes')
      .values({ profile_id: profileId, symbol: q.symbol, ...values })
      .onConflict((oc) =>
        oc.columns(['profile_id', 'symbol']).doUpdateSet(values).where('quotes.at_key', '<=', values.at_key),
      )
      .execute();
  }
}

export async function getQuote(db: Db, profileId: string, symbol: string): Promise<QuoteRecord | null> {
  const row = await db
    .selectFrom('quotes')
    .selectAll()
    .where('profile_id', '=', profileId)
    .where('symbol', '=', symbol)
    .executeTakeFirst();
  return row ? rowToQuote(row) : null;
}

export async function watchSymbol(db: Db, profileId: string, symbol: string, at: Timestamp): Promise<void> {
  const values = { requested_at: at, requested_at_key: timeKey(at) };
  await db
    .insertInto('watched_symbols')
    .values({ profile_id: profileId, symbol, ...values })
    .onConflict((oc) =>
      oc
        .columns(['profile_id', 'symbol'])
        .doUpdateSet(values)
        .where('watched_symbols.requested_at_key', '<', values.requested_at_key),
    )
    .execute();
}

export async function watchedSymbols(db: Db, profileId: string, since: Timestamp): Promise<string[]> {
  const rows = await db
    .selectFrom('watched_symbols')
    .select('symbol')
    .where('profile_id', '=', profileId)
    .where('requested_at_key', '>=', timeKey(since))
    .orderBy('symbol', 'asc')
    .execute();
  return rows.map((r) => r.symbol);
}

export function marketDataRepository(db: Db): MarketDataRepository {
  return {
    upsertAssets: (profileId, assets) => upsertAssets(db, profileId, assets),
    getAsset: (profileId, symbol) => getAsset(db, profileId, symbol),
    upsertQuotes: (profileId, quotes) => upsertQuotes(db, profileId, quotes),
    getQuote: (profileId, symbol) => getQuote(db, profileId, symbol),
    watch: (profileId, symbol, at) => watchSymbol(db, profileId, symbol, at),
    watchedSymbols: (profileId, since) => watchedSymbols(db, profileId, since),
  };
}
