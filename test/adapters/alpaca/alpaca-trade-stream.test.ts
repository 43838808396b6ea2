import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AlpacaTradeStream, type StreamSocket } from '../../../src/adapters/alpaca/alpaca-trade-stream.js';
import { FakeClock } from '../../../src/adapters/system/fake-clock.js';
import { BrokerError, type StreamState, type TradeUpdate } from '../../../src/ports/broker.js';
import { wireOrder } from './harness.js';

/** A fake trading-stream server socket: answers auth and listen as Alpaca does, unless told not to. */
class FakeSocket extends EventEmitter implements StreamSocket {
  readonly frames: Record<string, unknown>[] = [];
  closed = false;
  readyState = 1;

  constructor(private readonly script: { authorize?: boolean; ackListen?: boolean } = {}) {
    super();
    queueMicrotask(() => this.emit('open'));
  }

  send(data: string | Uint8Array): void {
    const frame = JSON.parse(String(data)) as { action: string };
    this.frames.push(frame);
    if (frame.action === 'authenticate') {
      const status = this.script.authorize === false ? 'unauthorized' : 'authorized';
      this.push({ stream: 'authorization', data: { status, action: 'authenticate' } });
    }
    if (frame.action === 'listen' && this.script.ackListen !== false) {
      this.push({ stream: 'listening', data: { streams: ['trade_updates'] } });
    }
  }

  /** The server sends a frame (binary, as paper does). */
  push(frame: unknown): void {
    queueMicrotask(() => this.emit('message', Buffer.from(JSON.stringify(frame))));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.readyState = 3;
    queueMicrotask(() => this.emit('close'));
  }
}

function setup(
  script: { authorize?: boolean; ackListen?: boolean } = {},
  handler?: (u: TradeUpdate) => unknown,
) {
  const sockets: FakeSocket[] = [];
  const urls: string[] = [];
  const clock = new FakeClock();
  const stream = new AlpacaTradeStream({
    url: 'ws://127.0.0.1:9/stream',
    keyId: 'KEY',
    secret: 'SECRET',
    clock,
    connectTimeoutMs: 5_000,
    pingIntervalMs: 0,
    wsFactory: (url) => {
      urls.push(url);
      const socket = new FakeSocket(script);
      sockets.push(socket);
      return socket;
    },
  });
  const states: Array<[StreamState, string | undefined]> = [];
  const updates: TradeUpdate[] = [];
  const handlers = {
    onUpdate: async (u: TradeUpdate) => {
      updates.push(u);
      await handler?.(u);
    },
    onState: (s: StreamState, d?: string) => states.push([s, d]),
  };
  return { stream, sockets, urls, clock, states, updates, handlers };
}

const tick = () => new Promise((r) => setImmediate(r));

function fillFrame(executionId: string, overrides: Record<string, unknown> = {}) {
  return {
    stream: 'trade_updates',
    data: {
      event: 'partial_fill',
      execution_id: executionId,
      timestamp: '2026-08-03T13:31:02.401233987Z',
      price: '212.84',
      qty: '1',
      position_qty: '1',
      order: wireOrder({ status: 'partially_filled', filled_qty: '1' }),
      ...overrides,
    },
  };
}

describe('AlpacaTradeStream', () => {
  it('authenticates, listens to trade_updates and resolves on the listening ack', async () => {
    const t = setup();
    await t.stream.connect(t.handlers);
    expect(t.urls).toEqual(['ws://127.0.0.1:9/stream']);
    expect(t.sockets[0]?.frames).toEqual([
      { action: 'authenticate', data: { key_id: 'KEY', secret_key: 'SECRET' } },
      { action: 'listen', data: { streams: ['trade_updates'] } },
    ]);
    expect(t.states.map(([s]) => s)).toEqual(['connecting', 'authenticating', 'listening']);
    await t.stream.close();
  });

  it('delivers updates one at a time, in order, before close resolves', async () => {
    let active = 0;
    let maxActive = 0;
    const t = setup({}, async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 2));
      active--;
    });
    await t.stream.connect(t.handlers);
    t.sockets[0]?.push(fillFrame('e1'));
    t.sockets[0]?.push(fillFrame('e2'));
    t.sockets[0]?.push({ stream: 'trade_updates', data: { event: 'new', order: wireOrder() } });
    await tick();
    await t.stream.close();
    expect(t.updates.map((u) => [u.event, u.executionId])).toEqual([
      ['partial_fill', 'e1'],
      ['partial_fill', 'e2'],
      ['new', null],
    ]);
    expect(t.updates[0]?.at).toBe('2026-08-03T13:31:02.401233987Z');
    expect(maxActive).toBe(1);
    expect(t.states.at(-1)?.[0]).toBe('stopped');
  });

  it('rejects connect with unauthorized when the server refuses the keys, and does not reconnect', async () => {
    const t = setup({ authorize: false });
    const err = await t.stream.connect(t.handlers).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BrokerError);
    expect((err as BrokerError).code).toBe('unauthorized');
    await tick();
    expect(t.sockets).toHaveLength(1);
    expect(t.states.at(-1)?.[0]).toBe('disconnected');
    expect((err as BrokerError).message).toContain('unauthorized');
  });

  it('rejects connect when no listening ack arrives in time', async () => {
    const t = setup({ ackListen: false });
    const pending = t.stream.connect(t.handlers).then(
      () => null,
      (e: unknown) => e,
    );
    await tick();
    await t.clock.advance(5_000);
    const err = await pending;
    expect((err as BrokerError).code).toBe('unavailable');
    expect((err as BrokerError).message).toContain('listening');
  });

  it('reports a dropped connection as disconnected and leaves reconnecting to the caller', async () => {
    const t = setup();
    await t.stream.connect(t.handlers);
    t.sockets[0]?.close();
    await tick();
    expect(t.states.at(-1)).toEqual(['disconnected', 'connection closed']);
    await tick();
    expect(t.sockets).toHaveLength(1);
    await t.stream.connect(t.handlers);
    expect(t.sockets).toHaveLength(2);
    await t.stream.close();
  });

  it('rejects connect when the socket closes before listening', async () => {
    const t = setup({ ackListen: false });
    const pending = t.stream.connect(t.handlers).then(
      () => null,
      (e: unknown) => e,
    );
    await tick();
    t.sockets[0]?.close();
    const err = (await pending) as BrokerError;
    expect(err.code).toBe('unavailable');
  });

  it('closes and reports a malformed trade update instead of dropping it', async () => {
    const t = setup();
    await t.stream.connect(t.handlers);
    t.sockets[0]?.push(fillFrame('e1', { price: 'abc' }));
    t.sockets[0]?.push(fillFrame('e2'));
    await tick();
    await tick();
    expect(t.updates).toHaveLength(0);
    const [state, detail] = t.states.at(-1) ?? [];
    expect(state).toBe('disconnected');
    expect(detail).toContain('trade_update.price');
    expect(t.sockets[0]?.closed).toBe(true);
  });

  it('closes and reports when the update handler fails, delivering nothing after it', async () => {
    const t = setup({}, (u) => {
      if (u.executionId === 'e1') throw new Error('database locked');
    });
    await t.stream.connect(t.handlers);
    t.sockets[0]?.push(fillFrame('e1'));
    t.sockets[0]?.push(fillFrame('e2'));
    await tick();
    await tick();
    expect(t.updates.map((u) => u.executionId)).toEqual(['e1']);
    expect(t.states.at(-1)).toEqual(['disconnected', 'trade update handler failed: database locked']);
  });

  it('refuses a second connect while connected', async () => {
    const t = setup();
    await t.stream.connect(t.handlers);
    await expect(t.stream.connect(t.handlers)).rejects.toThrow(/already connected/);
    await t.stream.close();
  });
});
