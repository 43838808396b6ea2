/**
 * The live account for the page: initial reads of every view, then the SSE stream (fetch-based,
 * so a bearer token can be sent) applied through `applyEvent`. Fills come with their own SSE
 * kind (new fills, merged by execution id); the P&L series has none and is re-read when the
 * account changes. Reconnects are the stream's own; a 401 anywhere asks for a token and restarts
 * everything once it is given.
 */
import { useCallback, useEffect, useReducer, useState } from 'react';
import { type ApiError, authHeaders, get, onUnauthorized } from '../api/client';
import { connectEvents, type SseMessage, type StreamStatus } from '../api/sse';
import type { Account, Command, Fill, Order, PnlPoint, Position, Profile } from '../api/types';
import { isFinal } from '../lib/commands';
import {
  applyEvent,
  FILLS_WINDOW,
  INITIAL_STATE,
  type LiveState,
  mergeFills,
  newestAsOf,
  upsertCommand,
} from './live';

type Action =
  | { kind: 'event'; message: SseMessage; at: number }
  | { kind: 'patch'; patch: Partial<LiveState> }
  | { kind: 'fills'; fills: Fill[] }
  | { kind: 'command'; command: Command };

function reducer(state: LiveState, action: Action): LiveState {
  switch (action.kind) {
    case 'event':
      return applyEvent(state, action.message, action.at);
    case 'patch':
      return { ...state, ...action.patch };
    case 'fills':
      return { ...state, fills: mergeFills(state.fills, action.fills) };
    case 'command':
      return { ...state, commands: upsertCommand(state.commands, action.command) };
  }
}

export type AuditState =
  | { available: true; events: Array<Record<string, unknown>> }
  | { available: false; reason: string };

function auditEvents(body: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(body)) return body as Array<Record<string, unknown>>;
  if (body && typeof body === 'object') {
    for (const v of Object.values(body)) if (Array.isArray(v)) return v as Array<Record<string, unknown>>;
  }
  return [];
}

export interface Live {
  state: LiveState;
  stream: StreamStatus;
  needToken: boolean;
  audit: AuditState | null;
  tokenGiven: () => void;
  trackCommand: (c: Command) => void;
  refreshAudit: () => void;
}

export function useLive(): Live {
  const [state, dispatch] = useReducer(reducer, INITIAL_STATE);
  const [stream, setStream] = useState<StreamStatus>('connecting');
  const [needToken, setNeedToken] = useState(false);
  const [epoch, setEpoch] = useState(0);
  const [audit, setAudit] = useState<AuditState | null>(null);

  useEffect(() => onUnauthorized(() => setNeedToken(true)), []);

  const loadAudit = useCallback(async () => {
    try {
      // The trail is in chain order (oldest first): read a window and show the newest first.
      const body = await get<unknown>('/audit?limit=1000');
      setAudit({ available: true, events: auditEvents(body).slice(-100).reverse() });
    } catch (error) {
      const e = error as ApiError;
      setAudit({
        available: false,
        reason: e.status === 404 ? 'not available in this API version' : e.message,
      });
    }
  }, []);

  // Initial reads (the stream sends every kind on connect too, but P&L and the profile are only
  // here).
  // biome-ignore lint/correctness/useExhaustiveDependencies: epoch restarts the reads after a token is given
  useEffect(() => {
    const ac = new AbortController();
    const read = async <T>(path: string, apply: (body: T) => Partial<LiveState>) => {
      try {
        dispatch({ kind: 'patch', patch: apply(await get<T>(path, ac.signal)) });
      } catch {
        // the banner shows the stream's state; a failed read is retried by the next event
      }
    };
    void read<Profile>('/state/profile', (b) => ({
      profile: b,
      engine: b.engine,
      tradingState: b.trading_state,
    }));
    void read<{ positions: Position[]; as_of: string | null }>('/state/positions', (b) => ({
      positions: b.positions,
      positionsAsOf: b.as_of ?? newestAsOf(b.positions),
    }));
    void read<{ account: Account | null }>('/state/account', (b) => ({ account: b.account }));
    void read<{ orders: Order[] }>('/state/orders?status=all&limit=50', (b) => ({ orders: b.orders }));
    void read<{ commands: Command[] }>('/commands?limit=20', (b) => ({ commands: b.commands }));
    void loadAudit();
    return () => ac.abort();
  }, [epoch, loadAudit]);

  // Fills: read once (merged, like the stream's fills events, so neither hides the other); the
  // P&L series follows the account.
  // biome-ignore lint/correctness/useExhaustiveDependencies: epoch restarts the read after a token is given
  useEffect(() => {
    void get<{ fills: Fill[] }>(`/state/fills?limit=${FILLS_WINDOW}`)
      .then((b) => dispatch({ kind: 'fills', fills: b.fills }))
      .catch(() => {});
  }, [epoch]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read when the versions change
  useEffect(() => {
    void get<{ points: PnlPoint[] }>('/state/pnl?limit=999')
      .then((b) => dispatch({ kind: 'patch', patch: { pnl: b.points } }))
      .catch(() => {});
  }, [state.accountVersion, epoch]);
  // The audit trail has no SSE kind: re-read it shortly after the commands change (debounced,
  // so a burst of command updates costs one read).
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read when the commands change
  useEffect(() => {
    const timer = setTimeout(() => void loadAudit(), 400);
    return () => clearTimeout(timer);
  }, [state.commands, loadAudit]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: epoch reconnects after a token is given
  useEffect(() => {
    const stop = connectEvents({
      url: '/events',
      headers: authHeaders,
      onMessage: (message) => dispatch({ kind: 'event', message, at: Date.now() }),
      onStatus: (s) => {
        setStream(s);
        if (s === 'unauthorized') setNeedToken(true);
      },
    });
    return stop;
  }, [epoch]);

  return {
    state,
    stream,
    needToken,
    audit,
    tokenGiven: () => {
      setNeedToken(false);
      setEpoch((e) => e + 1);
    },
    trackCommand: (command) => dispatch({ kind: 'command', command }),
    refreshAudit: () => void loadAudit(),
  };
}

/** Follows one command to its result: the SSE log when it has it, else polling GET /commands/{id}. */
export function useCommand(
  id: string | null,
  log: readonly Command[],
): { command: Command | null; error: string | null } {
  const [polled, setPolled] = useState<Command | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fromLog = id ? (log.find((c) => c.id === id) ?? null) : null;
  const finalSeen = [polled?.status, fromLog?.status].some((s) => s !== undefined && isFinal(s));
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new id starts a fresh follow
  useEffect(() => {
    setPolled(null);
    setError(null);
  }, [id]);
  useEffect(() => {
    if (!id || finalSeen) return;
    let stopped = false;
    const tick = async () => {
      try {
        const c = await get<Command>(`/commands/${encodeURIComponent(id)}`);
        if (!stopped) setPolled(c);
      } catch (e) {
        if (!stopped) setError((e as Error).message);
      }
    };
    void tick();
    const timer = setInterval(tick, 1_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [id, finalSeen]);
  return { command: freshest(polled, fromLog), error };
}

/** The more advanced of two views of one command: a final status wins, then the later update. */
export function freshest(a: Command | null, b: Command | null): Command | null {
  if (!a || !b) return a ?? b;
  const fa = isFinal(a.status);
  if (fa !== isFinal(b.status)) return fa ? a : b;
  return Date.parse(a.updated_at ?? a.created_at) >= Date.parse(b.updated_at ?? b.created_at) ? a : b;
}
