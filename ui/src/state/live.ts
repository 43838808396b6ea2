/**
 * The page's picture of the account, and how each SSE event changes it. Pure: `applyEvent`
 * takes the state and one parsed message and returns the next state, so the stream's handling is
 * unit-tested without a browser. Unknown kinds and unparseable data leave the state unchanged.
 */
import type { SseMessage } from '../api/sse';
import type {
  Account,
  Command,
  EngineInfo,
  Fill,
  Order,
  PnlPoint,
  Position,
  Profile,
  TradingState,
} from '../api/types';
import { isOpenOrderStatus, isSseEventKind } from '../contract';

export interface LiveState {
  profile: Profile | null;
  positions: Position[];
  positionsAsOf: string | null;
  account: Account | null;
  orders: Order[];
  fills: Fill[];
  pnl: PnlPoint[];
  commands: Command[];
  engine: EngineInfo | null;
  tradingState: TradingState | null;
  /** Bumped on every orders event. */
  ordersVersion: number;
  /** Bumped on every account event, so the page refetches the P&L series. */
  accountVersion: number;
  lastEventAt: number | null;
}

export const INITIAL_STATE: LiveState = {
  profile: null,
  positions: [],
  positionsAsOf: null,
  account: null,
  orders: [],
  fills: [],
  pnl: [],
  commands: [],
  engine: null,
  tradingState: null,
  ordersVersion: 0,
  accountVersion: 0,
  lastEventAt: null,
};

function parse(data: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(data) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The newest as_of among positions, or null. */
export function newestAsOf(positions: readonly Position[]): string | null {
  let best: string | null = null;
  for (const p of positions)
    if (p.as_of && (best === null || Date.parse(p.as_of) > Date.parse(best))) best = p.as_of;
  return best;
}

export function applyEvent(state: LiveState, message: SseMessage, nowMs: number): LiveState {
  const data = parse(message.data);
  if (!data || !isSseEventKind(message.event)) return state;
  const next = { ...state, lastEventAt: nowMs };
  switch (message.event) {
    case 'positions': {
      const positions = (data.positions as Position[] | undefined) ?? [];
      return {
        ...next,
        positions,
        positionsAsOf: (data.as_of as string | undefined) ?? newestAsOf(positions),
      };
    }
    case 'orders':
      return {
        ...next,
        orders: (data.orders as Order[] | undefined) ?? [],
        ordersVersion: state.ordersVersion + 1,
      };
    case 'account':
      return {
        ...next,
        account: (data.account as Account | null | undefined) ?? null,
        accountVersion: state.accountVersion + 1,
      };
    case 'fills':
      return { ...next, fills: mergeFills(state.fills, (data.fills as Fill[] | undefined) ?? []) };
    case 'commands':
      return { ...next, commands: (data.commands as Command[] | undefined) ?? [] };
    case 'engine':
      return { ...next, engine: (data.engine as EngineInfo | null | undefined) ?? null };
    case 'trading_state':
      return { ...next, tradingState: data as unknown as TradingState };
    default:
      return state;
  }
}

/** How many fills the page keeps (the API's fills window). */
export const FILLS_WINDOW = 50;

function fillKey(f: Fill): string {
  return f.execution_id;
}

/**
 * A fills event merged into the fills shown: the event holds only fills the stream had not sent
 * yet (or, on connect, the newest ones), so fills are merged by execution id, newest first, and
 * the window kept.
 */
export function mergeFills(shown: readonly Fill[], incoming: readonly Fill[]): Fill[] {
  const byKey = new Map(shown.map((f) => [fillKey(f), f]));
  for (const f of incoming) byKey.set(fillKey(f), f);
  const time = (f: Fill) => Date.parse(f.at ?? '') || 0;
  return [...byKey.values()]
    .sort((a, b) => time(b) - time(a) || (fillKey(b) < fillKey(a) ? -1 : 1))
    .slice(0, FILLS_WINDOW);
}

/** The environment the page shows: the engine's when known, else the API's. */
export function environmentOf(state: Pick<LiveState, 'profile' | 'engine'>): 'paper' | 'live' | null {
  return state.engine?.environment ?? state.profile?.environment ?? state.profile?.api_environment ?? null;
}

/** Open orders: those the broker may still fill (the contract's open set). */
export function isOpenOrder(o: Pick<Order, 'status'>): boolean {
  return isOpenOrderStatus(o.status);
}

/** Merges a command (from a POST answer or GET /commands/{id}) into the log, newest first. */
export function upsertCommand(commands: readonly Command[], command: Command): Command[] {
  const rest = commands.filter((c) => c.id !== command.id);
  return [command, ...rest].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
}
