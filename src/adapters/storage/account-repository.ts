/**
 * The account time series behind P&L: one snapshot per profile and instant (a second snapshot at
 * the same instant replaces the first, so re-importing history is idempotent).
 */
import type { Selectable } from 'kysely';
import type { AccountSnapshot } from '../../core/position.js';
import type { Timestamp } from '../../core/time.js';
import type { AccountRepository } from '../../ports/store.js';
import type { Db } from './database.js';
import type { AccountSnapshotsTable } from './positions.table.js';
import { fromFlag, oneOf, timeKey, toFlag } from './row-values.js';

export interface AccountSeriesQuery {
  since?: Timestamp;
  until?: Timestamp;
  limit?: number;
}

export function rowToAccountSnapshot(row: Selectable<AccountSnapshotsTable>): AccountSnapshot {
  return {
    at: row.at,
    status: row.status,
    currency: row.currency,
    cash: row.cash,
    equity: row.equity,
    lastEquity: row.last_equity,
    buyingPower: row.buying_power,
    longMarketValue: row.long_market_value,
    shortMarketValue: row.short_market_value,
    multiplier: row.multiplier,
    shortingEnabled: fromFlag(row.shorting_enabled),
    tradingBlocked: fromFlag(row.trading_blocked),
    accountBlocked: fromFlag(row.account_blocked),
    tradeSuspendedByUser: fromFlag(row.trade_suspended_by_user),
    source: oneOf(['sync', 'history'] as const, row.source, 'account_snapshots', 'source'),
  };
}

export async function appendAccountSnapshot(db: Db, profileId: string, s: AccountSnapshot): Promise<void> {
  const row = {
    at: s.at,
    status: s.status,
    currency: s.currency,
    cash: s.cash,
    equity: s.equity,
    last_equity: s.lastEquity,
    buying_power: s.buyingPower,
    long_market_value: s.longMarketValue,
    short_market_value: s.shortMarketValue,
    multiplier: s.multiplier,
    shorting_enabled: toFlag(s.shortingEnabled),
    trading_blocked: toFlag(s.tradingBlocked),
    account_blocked: toFlag(s.accountBlocked),
    trade_suspended_by_user: toFlag(s.tradeSuspendedByUser),
    source: s.source,
  };
  await db
    .insertInto('account_snapshots')
    .values({ profile_id: profileId, at_key: timeKey(s.at), ...row })
    .onConflict((oc) => oc.columns(['profile_id', 'at_key']).doUpdateSet(row))
    .execute();
}

export async function latestAccountSnapshot(db: Db, profileId: string): Promise<AccountSnapshot | null> {
  const row = await db
    .selectFrom('account_snapshots')
    .selectAll()
    .where('profile_id', '=', profileId)
    .orderBy('at_key', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? rowToAccountSnapshot(row) : null;
}

/** Snapshots oldest first; with a limit, the most recent `limit` of the range. */
export async function accountSeries(
  db: Db,
  profileId: string,
  query: AccountSeriesQuery = {},
): Promise<AccountSnapshot[]> {
  const rows = await db
    .selectFrom('account_snapshots')
    .selectAll()
    .where('profile_id', '=', profileId)
    .$if(query.since !== undefined, (q) => q.where('at_key', '>=', timeKey(query.since as string)))
    .$if(query.until !== undefined, (q) => q.where('at_key', '<=', timeKey(query.until as string)))
    .orderBy('at_key', 'desc')
    .$if(query.limit !== undefined, (q) => q.limit(query.limit as number))
    .execute();
  return rows.reverse().map(rowToAccountSnapshot);
}

export function accountRepository(db: Db): AccountRepository {
  return {
    append: (profileId, snapshot) => appendAccountSnapshot(db, profileId, snapshot),
    latest: (profileId) => latestAccountSnapshot(db, profileId),
    series: (profileId, query) => accountSeries(db, profileId, query),
  };
}
