/**
 * The bodies of the read routes that the SSE change feed sends too (GET /state/positions,
 * /state/orders, /state/account, /state/fills, /commands), built here once so that an SSE event
 * and its GET route cannot drift apart.
 */

import { compareTimestamps } from '../core/time.js';
import type { CommandListQuery, OrderListQuery, Store } from '../ports/store.js';
import { accountWire, commandWire, fillWire, orderWire, positionWire } from './presenters.js';

export interface SnapshotContext {
  store: Store;
  profileId: string;
}

export type Body = Record<string, unknown>;

/** GET /state/positions: the positions with the newest as-of time and their provenance. */
export async function positionsBody(ctx: SnapshotContext): Promise<Body> {
  const positions = await ctx.store.positions.list(ctx.profileId);
  const asOf = positions.reduce<string | null>(
    (latest, p) => (latest === null || compareTimestamps(p.asOf, latest) > 0 ? p.asOf : latest),
    null,
  );
  const provenance =
    positions.length === 0
      ? 'empty'
      : positions.every((p) => p.provenance === 'rest')
        ? 'confirmed'
        : 'provisional';
  return { profile_id: ctx.profileId, as_of: asOf, provenance, positions: positions.map(positionWire) };
}

/** GET /state/account. */
export async function accountBody(ctx: SnapshotContext): Promise<Body> {
  const account = await ctx.store.accounts.latest(ctx.profileId);
  return { profile_id: ctx.profileId, account: account === null ? null : accountWire(account) };
}

/** GET /state/orders with the given query. */
export async function ordersBody(ctx: SnapshotContext, query: OrderListQuery): Promise<Body> {
  const orders = await ctx.store.orders.list(ctx.profileId, query);
  return { profile_id: ctx.profileId, orders: orders.map(orderWire) };
}

/** GET /state/fills with the given query (newest first). */
export async function fillsBody(
  ctx: SnapshotContext,
  query: { symbol?: string; orderId?: string; since?: string; limit?: number },
): Promise<Body & { fills: Body[] }> {
  const fills = await ctx.store.fills.list(ctx.profileId, query);
  return { profile_id: ctx.profileId, fills: fills.map(fillWire) };
}

/** GET /commands with the given query (newest first). */
export async function commandsBody(ctx: SnapshotContext, query: CommandListQuery): Promise<Body> {
  const commands = await ctx.store.commands.list(ctx.profileId, query);
  return { profile_id: ctx.profileId, commands: commands.map(commandWire) };
}
