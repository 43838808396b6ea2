/**
 * The TradeStream port over the SDK's `streaming.TradingStream` (the trade_updates WebSocket).
 * The SDK owns the socket protocol (authenticate, listen, ping); its own reconnect is disabled
 * because the engine owns the reconnect policy (backoff, gap recovery). `connect()` resolves
 * when the `listening` ack for trade_updates arrives and rejects on an auth failure, a close
 * before listening, or a timeout. trade_updates frames are taken raw (the SDK's mapping turns
 * the event timestamp into a millisecond Date) and mapped by alpaca-mappers.ts.
 * Must preserve: updates reach the handler one at a time, in arrival order; an update that cannot
 * be mapped or handled is never dropped silently: the connection is closed and reported
 * 'disconnected' with the reason, so the engine recovers what was missed by REST.
 */
import { streaming } from '@alpacahq/alpaca-trade-api';
import type { StreamState, TradeStream, TradeStreamHandlers } from '../../ports/broker.js';
import { BrokerError, type BrokerErrorCode } from '../../ports/broker.js';
import { mapTradeUpdate } from './alpaca-mappers.js';
import { type BudgetClock, wallClock } from './request-budget.js';

/** The socket surface the SDK needs (the `ws` package satisfies it); injectable for tests. */
export interface StreamSocket {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  terminate?(): void;
  ping?(data?: unknown): void;
  readonly readyState?: number;
}

export type StreamSocketFactory = (url: string) => StreamSocket;

export interface AlpacaTradeStreamOptions {
  url: string;
  keyId: string;
  secret: string;
  wsFactory?: StreamSocketFactory;
  clock?: BudgetClock;
  /** How long connect() waits for the listening ack (default 15 s). */
  connectTimeoutMs?: number;
  /** Keepalive ping interval (SDK default 10 s; 0 disables). */
  pingIntervalMs?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A refused WebSocket upgrade ("Unexpected server response: 429") keeps its meaning. */
function upgradeCode(detail: string): BrokerErrorCode {
  const status = /Unexpected server response: (\d{3})/.exec(detail)?.[1];
  if (status === '429') return 'rate_limited';
  if (status === '401' || status === '403') return 'unauthorized';
  return 'unavailable';
}

/**
 * TradingStream that hands raw trade_updates `data` to the adapter and notes an auth rejection
 * (with the server's reason) before the SDK acts on it; everything else is the SDK's.
 */
class RawTradingStream extends streaming.TradingStream {
  onRawUpdate: (data: unknown) => void = () => {};
  onAuthRejected: (reason: string) => void = () => {};

  protected override handleMessage(message: unknown): void {
    if (isRecord(message) && message.stream === 'trade_updates') {
      this.onRawUpdate(message.data);
      return;
    }
    if (isRecord(message) && message.stream === 'authorization' && isRecord(message.data)) {
      const { status, message: reason } = message.data;
      if (status !== 'authorized') this.onAuthRejected(typeof reason === 'string' ? reason : String(status));
    }
    super.handleMessage(message);
  }
}

/** One connection attempt and its lifetime; a new connect() makes a new one. */
class Connection {
  readonly sdk: RawTradingStream;
  #listening = false;
  #stopping = false;
  #aborted = false;
  #gone = false;
  #lastError: string | null = null;
  #queue: Promise<void> = Promise.resolve();
  #settle: { resolve: () => void; reject: (err: Error) => void } | null = null;
  #timer: { cancel(): void } | null = null;

  constructor(
    private readonly opts: AlpacaTradeStreamOptions,
    private readonly handlers: TradeStreamHandlers,
    private readonly onGone: (c: Connection) => void,
  ) {
    const factory = opts.wsFactory;
    this.sdk = new RawTradingStream({
      url: opts.url,
      credentials: { keyId: opts.keyId, secret: opts.secret },
      reconnect: false,
      ...(opts.pingIntervalMs !== undefined ? { pingIntervalMs: opts.pingIntervalMs } : {}),
      ...(factory ? { wsFactory: (url: string) => factory(url) } : {}),
    });
    this.sdk.onRawUpdate = (data) => this.#onRaw(data);
    this.sdk.onAuthRejected = (reason) => {
      this.#lastError = `authentication rejected: ${reason}`;
      this.#fail(new BrokerError('unauthorized', `trade stream: authentication rejected (${reason})`));
    };
    this.sdk.onStateChange((state) => this.#onSdkState(state));
    this.sdk.on(streaming.EVENT.SUBSCRIPTION, (streams: unknown) => this.#onListening(streams));
    this.sdk.onError((message) => {
      this.#lastError = message;
    });
  }

  open(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    const timeoutMs = this.opts.connectTimeoutMs ?? 15_000;
    this.#timer = (this.opts.clock ?? wallClock).setTimeout(
      () =>
        this.#fail(new BrokerError('unavailable', `trade stream: no listening ack within ${timeoutMs} ms`)),
      timeoutMs,
    );
    this.sdk.subscribeTradeUpdates();
    this.sdk.connect();
    return done;
  }

  /** Stops the connection; updates already received are still handed over before it resolves. */
  async close(): Promise<void> {
    const wasGone = this.#gone;
    this.#stopping = true;
    this.#fail(new BrokerError('unavailable', 'trade stream: closed before listening'));
    this.sdk.disconnect();
    await this.#queue;
    if (wasGone) this.#state('stopped');
  }

  #state(state: StreamState, detail?: string): void {
    this.handlers.onState(state, detail);
  }

  #onSdkState(state: streaming.STATE): void {
    if (state === streaming.STATE.CONNECTING) this.#state('connecting');
    else if (state === streaming.STATE.CONNECTED) this.#state('authenticating');
    else if (state === streaming.STATE.DISCONNECTED) this.#onDisconnected();
  }

  #onDisconnected(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.onGone(this);
    const detail = this.#lastError ?? 'connection closed';
    this.#fail(
      new BrokerError(upgradeCode(detail), `trade stream: disconnected before listening (${detail})`),
    );
    if (this.#stopping) this.#state('stopped');
    else this.#state('disconnected', detail);
  }

  #onListening(streams: unknown): void {
    if (this.#listening || !Array.isArray(streams) || !streams.includes('trade_updates')) return;
    this.#listening = true;
    this.#timer?.cancel();
    this.#state('listening');
    this.#settle?.resolve();
    this.#settle = null;
  }

  #fail(err: Error): void {
    this.#timer?.cancel();
    if (!this.#settle) return;
    const { reject } = this.#settle;
    this.#settle = null;
    if (!this.#stopping && !this.#listening) this.sdk.disconnect();
    reject(err);
  }

  /** Maps at once (in arrival order) and hands updates over one at a time. */
  #onRaw(data: unknown): void {
    if (this.#stopping || this.#aborted) return;
    let update: ReturnType<typeof mapTradeUpdate>;
    try {
      update = mapTradeUpdate(data);
    } catch (err) {
      this.#abort(`bad trade update: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.#queue = this.#queue.then(async () => {
      if (this.#aborted) return;
      try {
        await this.handlers.onUpdate(update);
      } catch (err) {
        this.#abort(`trade update handler failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  }

  /**
   * Closes the socket and reports why; later updates are not delivered, because what was missed
   * is recovered by the engine's REST sync after it reconnects.
   */
  #abort(reason: string): void {
    if (this.#aborted || this.#stopping) return;
    this.#aborted = true;
    this.#lastError = reason;
    this.sdk.disconnect();
  }
}

export class AlpacaTradeStream implements TradeStream {
  #current: Connection | null = null;

  constructor(private readonly options: AlpacaTradeStreamOptions) {}

  connect(handlers: TradeStreamHandlers): Promise<void> {
    if (this.#current) return Promise.reject(new Error('trade stream: already connected; close() first'));
    const connection = new Connection(this.options, handlers, (c) => {
      if (this.#current === c) this.#current = null;
    });
    this.#current = connection;
    return connection.open();
  }

  async close(): Promise<void> {
    const connection = this.#current;
    this.#current = null;
    await connection?.close();
  }
}
