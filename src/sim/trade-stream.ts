/**
 * The trade_updates WebSocket at /stream: authenticate (both frame forms), listen, and the
 * broadcast of trade events to authenticated listeners as binary (default) or text JSON frames.
 * Faults: dropped, duplicated and delayed events; an error frame then close on every socket.
 * Must preserve: one JSON object per frame; a malformed frame gets an error frame and the socket
 * (and every other socket) keeps working; at most `maxPerKey` authenticated streams per key, the
 * excess refused with 429 at the upgrade; a dropped stream frees its slot at once; no replay.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { str } from '../core/decimal.js';
import type { TradeEvent } from './broker-state.js';
import type { FaultSettings } from './faults.js';
import { orderToWire } from './order-model.js';
import type { Rng } from './rng.js';

export interface StreamOptions {
  keyId: string;
  secret: string;
  maxPerKey: number;
  frames: 'binary' | 'text';
  faults: () => FaultSettings;
  refusedUntil: () => number;
  rng: Rng;
}

export interface StreamStats {
  connections: number;
  totalConnections: number;
  refused: number;
  authenticated: number;
  eventsSent: number;
  eventsDropped: number;
}

interface Client {
  ws: WebSocket;
  authenticated: boolean;
  listening: boolean;
}

const STREAMS = new Set(['trade_updates']);

export function tradeEventPayload(e: TradeEvent): Record<string, unknown> {
  const data: Record<string, unknown> = {
    event: e.event,
    timestamp: new Date(e.at).toISOString(),
    order: orderToWire(e.order),
  };
  if (e.execution) {
    data.execution_id = e.execution.id;
    data.price = str(e.execution.price);
    data.qty = str(e.execution.qty);
    data.position_qty = str(e.execution.positionQty);
  }
  return { stream: 'trade_updates', data };
}

export class TradeStreamServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly clients = new Set<Client>();
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly stats: StreamStats = {
    connections: 0,
    totalConnections: 0,
    refused: 0,
    authenticated: 0,
    eventsSent: 0,
    eventsDropped: 0,
  };

  constructor(private readonly options: StreamOptions) {}

  /** Handles an HTTP upgrade for /stream; other paths are refused with 404. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/stream') {
      refuse(socket, 404, 'Not Found');
      return;
    }
    if (Date.now() < this.options.refusedUntil() || this.authenticatedCount() >= this.options.maxPerKey) {
      this.stats.refused++;
      refuse(socket, 429, 'Too Many Requests');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws));
  }

  private authenticatedCount(): number {
    let n = 0;
    for (const c of this.clients) if (c.authenticated) n++;
    return n;
  }

  private attach(ws: WebSocket): void {
    const client: Client = { ws, authenticated: false, listening: false };
    this.clients.add(client);
    this.stats.connections = this.clients.size;
    this.stats.totalConnections++;
    ws.on('message', (data, isBinary) => this.onMessage(client, data, isBinary));
    ws.on('close', () => this.forget(client));
    ws.on('error', () => this.forget(client));
  }

  private forget(client: Client): void {
    this.clients.delete(client);
    this.stats.connections = this.clients.size;
  }

  private send(client: Client, frame: Record<string, unknown>): void {
    this.sendRaw(client, JSON.stringify(frame));
  }

  private sendRaw(client: Client, json: string | Buffer): void {
    if (client.ws.readyState !== WebSocket.OPEN) return;
    const binary = this.options.frames === 'binary';
    client.ws.send(binary && typeof json === 'string' ? Buffer.from(json) : json, { binary });
  }

  private error(client: Client, message: string): void {
    this.send(client, { action: 'error', data: { error_message: message } });
  }

  private onMessage(client: Client, data: RawData, _isBinary: boolean): void {
    let frame: unknown;
    try {
      frame = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
    } catch {
      this.error(client, 'invalid syntax');
      return;
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
      this.error(client, 'message must be a JSON object');
      return;
    }
    const msg = frame as { action?: unknown; data?: unknown; key?: unknown; secret?: unknown };
    const payload =
      typeof msg.data === 'object' && msg.data !== null ? (msg.data as Record<string, unknown>) : {};
    if (msg.action === 'authenticate') {
      this.authenticate(client, payload.key_id, payload.secret_key);
      return;
    }
    if (msg.action === 'auth') {
      this.authenticate(client, msg.key, msg.secret);
      return;
    }
    if (msg.action === 'listen') {
      this.listen(client, payload.streams);
      return;
    }
    this.error(client, `invalid action ${JSON.stringify(msg.action ?? null)}`);
  }

  private authenticate(client: Client, key: unknown, secret: unknown): void {
    if (key !== this.options.keyId || secret !== this.options.secret) {
      this.send(client, {
        stream: 'authorization',
        data: { status: 'unauthorized', action: 'authenticate', message: 'access key verification failed' },
      });
      return;
    }
    if (!client.authenticated && this.authenticatedCount() >= this.options.maxPerKey) {
      this.error(client, 'connection limit exceeded');
      client.ws.close(1008, 'connection limit exceeded');
      return;
    }
    if (!client.authenticated) this.stats.authenticated++;
    client.authenticated = true;
    this.send(client, { stream: 'authorization', data: { status: 'authorized', action: 'authenticate' } });
  }

  private listen(client: Client, streams: unknown): void {
    if (!client.authenticated) {
      this.send(client, { stream: 'authorization', data: { status: 'unauthorized', action: 'listen' } });
      return;
    }
    if (!Array.isArray(streams)) {
      this.error(client, 'listen requires data.streams as a list');
      return;
    }
    const active = streams.filter((s): s is string => typeof s === 'string' && STREAMS.has(s));
    client.listening = active.includes('trade_updates');
    this.send(client, { stream: 'listening', data: { streams: [...new Set(active)] } });
  }

  /** Sends one trade event to every listener, subject to the drop/duplicate faults. */
  publish(event: TradeEvent): void {
    let targets = 0;
    for (const c of this.clients) if (c.listening) targets++;
    if (targets === 0) return;
    const faults = this.options.faults();
    const dropped =
      faults.drop_events.includes(event.event) ||
      (faults.drop_event_rate > 0 && this.options.rng() < faults.drop_event_rate);
    if (dropped) {
      this.stats.eventsDropped++;
      return;
    }
    // Serialised now: a delayed event still shows the order as it was when the event happened.
    const json = JSON.stringify(tradeEventPayload(event));
    const frame = this.options.frames === 'binary' ? Buffer.from(json) : json;
    const copies =
      faults.duplicate_event_rate > 0 && this.options.rng() < faults.duplicate_event_rate ? 2 : 1;
    if (faults.delay_events_ms > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.deliver(frame, copies);
      }, faults.delay_events_ms);
      this.timers.add(timer);
      return;
    }
    this.deliver(frame, copies);
  }

  private deliver(frame: string | Buffer, copies: number): void {
    for (const c of this.clients) {
      if (!c.listening) continue;
      for (let i = 0; i < copies; i++) this.sendRaw(c, frame);
      this.stats.eventsSent += copies;
    }
  }

  /** Fault: every open connection gets an error frame, then a close (1011); returns how many. */
  errorThenClose(message: string): number {
    const n = this.clients.size;
    for (const c of [...this.clients]) {
      this.error(c, message);
      this.forget(c);
      c.ws.close(1011, message);
    }
    return n;
  }

  /** POST /_sim/stream/drop: terminates every connection now (no close handshake). */
  dropAll(): number {
    const n = this.clients.size;
    for (const c of [...this.clients]) {
      this.forget(c);
      c.ws.terminate();
    }
    return n;
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.dropAll();
    this.wss.close();
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  const body = JSON.stringify({ code: status * 100000 + 10000, message: text.toLowerCase() });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
