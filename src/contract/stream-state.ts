/**
 * The trade-stream states the engine reports in its heartbeat (`stream_state`), and which of
 * them count as healthy. The engine writes them (src/engine/reconnect.ts, engine.ts), the API
 * judges /health and the draft preview's trading state by them, and the UI's banner reads them:
 * all three take them from here. Must preserve: every state the engine can write is listed, and
 * a state is healthy only when the ledger is live (or the stream is off by configuration).
 */

export const ENGINE_STREAM_STATES = [
  /** A connection attempt is starting. */
  'connecting',
  /** The socket is open; the broker has not acknowledged the credentials yet. */
  'authenticating',
  /** Listening again; the gap since the last event is being back-filled by REST. */
  'recovering',
  /** Listening, gap recovered: every trade event reaches the ledger within milliseconds. */
  'listening',
  /** The connection dropped; a reconnect is scheduled with backoff. */
  'disconnected',
  /** The engine is shutting down (its last heartbeat). */
  'stopped',
  /** The trade stream is off by configuration (ENGINE_ENABLE_TRADING_WS); reconciliation polls instead. */
  'disabled',
] as const;

export type EngineStreamState = (typeof ENGINE_STREAM_STATES)[number];

/** States in which the engine is working as intended. */
export const HEALTHY_STREAM_STATES: ReadonlySet<EngineStreamState> = new Set<EngineStreamState>([
  'listening',
  'disabled',
]);

/** Takes any string (a heartbeat row, a wire field): unknown states are unhealthy. */
export function isHealthyStreamState(state: string | null | undefined): boolean {
  return HEALTHY_STREAM_STATES.has(state as EngineStreamState);
}
