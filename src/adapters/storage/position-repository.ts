/**
 * The current positions per profile. A REST refresh replaces the whole set atomically
 * (provenance 'rest'); a stream event updates one symbol provisionally (provenance 'stream')
 * until the next refresh confirms it. Stream updates older (by broker time) than the stream
 * value already stored are ignored, so a replayed event cannot roll a quantity back.
 */
import { randomUUID } from 'node:crypto';
import type { CompiledQuery, Selectable } from 'kysely';
import { WATERMARKS } from '../../contract/watermarks.js';
import { type DecimalString, dec, str } from '../../core/decimal.js';
import { type Position, positionSide } from '../../core/position.js';
import { compareTimestamps, type Timestamp } from '../../core/time.js';
import type { PositionRepository } from '../../ports/store.js';
import { type Db, dialectOf, inTransaction } from './database.js';
import { setWatermark } from './engine-repository.js';
import type { PositionsTable } from './positions.table.js';
import { oneOf } from './row-values.js';

type PositionRow = Selectable<PositionsTable>;

export function rowToPosition(row: PositionRow): Position {
  return {
    symbol: row.symbol,
    assetId: row.asset_id,
    qty: row.qty,
    side: oneOf(['long', 'short'] as const, row.side, 'positions', 'side'),
    avgEntryPrice: row.avg_entry_price,
    costBasis: row.cost_basis,
    currentPrice: row.current_price,
    lastdayPrice: row.lastday_price,
    marketValue: row.market_value,
    unrealizedPl: row.unrealized_pl,
    unrealizedPlpc: row.unrealized_plpc,
    unrealizedIntradayPl: row.unrealized_intraday_pl,
    asOf: row.as_of,
    provenance: oneOf(['rest', 'stream'] as const, row.provenance, 'positions', 'provenance'),
  };
}

function positionToRow(profileId: string, p: Position): PositionRow {
  return {
    profile_id: profileId,
    symbol: p.symbol,
    asset_id: p.assetId,
    qty: p.qty,
    side: p.side,
    avg_entry_price: p.avgEntryPrice,
    cost_basis: p.costBasis,
    current_price: p.currentPrice,
    lastday_price: p.lastdayPrice,
    market_value: p.marketValue,
    unrealized_pl: p.unrealizedPl,
    unrealized_plpc: p.unrealizedPlpc,
    unrealized_intraday_pl: p.unrealizedIntradayPl,
    as_of: p.asOf,
    provenance: p.provenance,
  };
}

/**
 * The position after the stream reported a new quantity. The average entry moves only when the
 * position grows (weighted with the fill price) and restarts at the fill price when it opens or
 * flips side; a shrinking position keeps its average. Market value follows the last known price.
 */
export function nextStreamPosition(
  current: Position | null,
  symbol: string,
  qty: DecimalString,
  fillPrice: DecimalString,
  at: Timestamp,
): Position {
  const next = dec(qty, 'qty');
  const price = dec(fillPrice, 'fillPrice');
  const before = current ? dec(current.qty, 'position.qty') : dec(0);
  let avg = price;
  if (current && !before.isZero() && before.isNeg() === next.isNeg()) {
    const held = dec(current.avgEntryPrice, 'position.avgEntryPrice');
    avg = next.abs().lte(before.abs())
      ? held
      : before.abs().times(held).plus(next.abs().minus(before.abs()).times(price)).div(next.abs());
  }
  avg = avg.toDecimalPlaces(9);
  const costBasis = next.times(avg);
  const marketValue = current?.currentPrice ? next.times(current.currentPrice) : null;
  const unrealizedPl = marketValue ? marketValue.minus(costBasis) : null;
  return {
    symbol,
    assetId: current?.assetId ?? null,
    qty: str(next),
    side: positionSide(str(next)),
    avgEntryPrice: str(avg),
    costBasis: str(costBasis),
    currentPrice: current?.currentPrice ?? null,
    lastdayPrice: current?.lastdayPrice ?? null,
    marketValue: marketValue ? str(marketValue) : null,
    unrealizedPl: unrealizedPl ? str(unrealizedPl) : null,
    unrealizedPlpc:
      unrealizedPl && !costBasis.isZero() ? str(unrealizedPl.div(costBasis.abs()).toDecimalPlaces(10)) : null,
    unrealizedIntradayPl: null,
    asOf: at,
    provenance: 'stream',
  };
}

/** Replaces every position of the profile with the broker's REST view, atomically. */
export function replaceAllPositions(
  db: Db,
  profileId: string,
  positions: Position[],
  asOf: Timestamp,
): Promise<void> {
  return inTransaction(db, async (trx) => {
    // The revision row first: on Postgres it serialises this with a concurrent stream write, so
    // the delete sees a row that write just inserted (else the insert below hits its key).
    await bumpRevision(trx, profileId);
    await trx.deleteFrom('positions').where('profile_id', '=', profileId).execute();
    if (positions.length === 0) return;
    const rows = positions.map((p) => positionToRow(profileId, { ...p, asOf, provenance: 'rest' }));
    await trx.insertInto('positions').values(rows).execute();
  });
}

/** Applies a stream-reported quantity for one symbol; a zero quantity removes the position. */
export function applyStreamQty(
  db: Db,
  profileId: string,
  symbol: string,
  qty: DecimalString,
  fillPrice: DecimalString,
  at: Timestamp,
): Promise<void> {
  return inTransaction(db, async (trx) => {
    // Serialised with replaceAll on the revision row (see there) before anything is read.
    await bumpRevision(trx, profileId);
    const row = await trx
      .selectFrom('positions')
      .selectAll()
      .where('profile_id', '=', profileId)
      .where('symbol', '=', symbol)
      .$if(dialectOf(trx) === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    const current = row ? rowToPosition(row) : null;
    if (current?.provenance === 'stream' && compareTimestamps(at, current.asOf) < 0) return;
    if (dec(qty, 'qty').isZero()) {
      await trx
        .deleteFrom('positions')
        .where('profile_id', '=', profileId)
        .where('symbol', '=', symbol)
        .execute();
      return;
    }
    const next = positionToRow(profileId, nextStreamPosition(current, symbol, qty, fillPrice, at));
    const { profile_id: _p, symbol: _s, ...changes } = next;
    await trx
      .insertInto('positions')
      .values(next)
      .onConflict((oc) => oc.columns(['profile_id', 'symbol']).doUpdateSet(changes))
      .execute();
  });
}

const REVISION_KEY = WATERMARKS.positionsRevision.key;

/** Marks the profile's positions as changed: readers compare revisions instead of re-reading rows. */
async function bumpRevision(db: Db, profileId: string): Promise<void> {
  await setWatermark(db, profileId, REVISION_KEY, randomUUID());
}

const compiledRevision = new WeakMap<Db, CompiledQuery<{ value: string }>>();

/**
 * An opaque value that changes with every write to the profile's positions (null before the
 * first). Read on every GET /state/positions, so its query is compiled once per database handle.
 */
export async function positionsRevision(db: Db, profileId: string): Promise<string | null> {
  let compiled = compiledRevision.get(db);
  if (compiled === undefined) {
    compiled = db
      .selectFrom('watermarks')
      .select('value')
      .where('profile_id', '=', '')
      .where('key', '=', REVISION_KEY)
      .compile();
    compiledRevision.set(db, compiled);
  }
  const result = await db.executeQuery<{ value: string }>({
    ...compiled,
    parameters: [profileId, REVISION_KEY],
  });
  return result.rows[0]?.value ?? null;
}

/** Positions of the profile, by symbol. */
export async function listPositions(db: Db, profileId: string): Promise<Position[]> {
  const rows = await db
    .selectFrom('positions')
    .selectAll()
    .where('profile_id', '=', profileId)
    .orderBy('symbol')
    .execute();
  return rows.map(rowToPosition);
}

export function positionRepository(db: Db): PositionRepository {
  return {
    replaceAll: (profileId, positions, asOf) => replaceAllPositions(db, profileId, positions, asOf),
    applyStreamQty: (profileId, symbol, qty, fillPrice, at) =>
      applyStreamQty(db, profileId, symbol, qty, fillPrice, at),
    list: (profileId) => listPositions(db, profileId),
    revision: (profileId) => positionsRevision(db, profileId),
  };
}
