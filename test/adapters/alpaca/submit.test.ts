import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../../src/core/order-request.js';
import { BrokerError } from '../../../src/ports/broker.js';
import { harness, json, wireOrder } from './harness.js';

const request: OrderRequest = {
  symbol: 'AAPL',
  side: 'buy',
  type: 'market',
  qty: '64',
  timeInForce: 'day',
  extendedHours: false,
  clientOrderId: 'ctr-draft-d1',
};

function posts(h: ReturnType<typeof harness>): number {
  return h.sent.filter((r) => r.method === 'POST').length;
}

function lookups(h: ReturnType<typeof harness>): number {
  return h.sent.filter((r) => r.path === '/v2/orders:by_client_order_id').length;
}

const dropped = () => {
  throw new TypeError('fetch failed: socket hang up');
};

async function rejection(promise: Promise<unknown>): Promise<BrokerError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BrokerError);
  return err as BrokerError;
}

describe('submission is never retried blindly', () => {
  it('a dropped POST whose order the broker has is settled by client_order_id, with exactly one POST', async () => {
    const h = harness([
      { method: 'POST', path: '/v2/orders', respond: dropped },
      {
        method: 'GET',
        path: '/v2/orders:by_client_order_id',
        respond: ({ url }) =>
          json(
            200,
            wireOrder({ client_order_id: url.searchParams.get('client_order_id'), status: 'accepted' }),
          ),
      },
    ]);
    const order = await h.broker.submitOrder(request);
    expect(order).toMatchObject({ clientOrderId: 'ctr-draft-d1', status: 'accepted' });
    expect(posts(h)).toBe(1);
    expect(lookups(h)).toBe(1);
  });

  it('a dropped POST whose order the broker does not know is ambiguous, with exactly one POST', async () => {
    const h = harness([{ method: 'POST', path: '/v2/orders', respond: dropped }]);
    const err = await rejection(h.broker.submitOrder(request));
    expect(err.code).toBe('ambiguous');
    expect(err.message).toContain('ctr-draft-d1');
    expect(err.message).toContain('not sent again');
    expect(posts(h)).toBe(1);
    expect(lookups(h)).toBe(1);
  });

  it('a 5xx after sending is settled the same way', async () => {
    const h = harness([
      { method: 'POST', path: '/v2/orders', status: 502, body: { message: 'bad gateway' } },
    ]);
    const err = await rejection(h.broker.submitOrder(request));
    expect(err.code).toBe('ambiguous');
    expect(err.details.status).toBe(502);
    expect(posts(h)).toBe(1);
  });

  it('a timeout is ambiguous and settled by lookup', async () => {
    const h = harness(
      [
        {
          method: 'POST',
          path: '/v2/orders',
          respond: ({ init }) =>
            new Promise<Response>((_, reject) =>
              init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
            ),
        },
        { method: 'GET', path: '/v2/orders:by_client_order_id', body: wireOrder() },
      ],
      { timeoutMs: 20 },
    );
    expect((await h.broker.submitOrder(request)).id).toBe('61e69015-8549-4bfd-b9c3-01e75843f47d');
    expect(posts(h)).toBe(1);
  });

  it('when the lookup fails too the outcome stays ambiguous and nothing is re-sent', async () => {
    const h = harness([
      { method: 'POST', path: '/v2/orders', respond: dropped },
      { method: 'GET', path: '/v2/orders:by_client_order_id', status: 503, body: { message: 'down' } },
    ]);
    const err = await rejection(h.broker.submitOrder(request));
    expect(err.code).toBe('ambiguous');
    expect(err.message).toContain('lookup failed too');
    expect(posts(h)).toBe(1);
  });

  it('a duplicate client_order_id means an earlier attempt got through: the existing order is returned', async () => {
    const h = harness([
      {
        method: 'POST',
        path: '/v2/orders',
        status: 422,
        body: { code: 40010001, message: 'client_order_id must be unique' },
      },
      {
        method: 'GET',
        path: '/v2/orders:by_client_order_id',
        body: wireOrder({ status: 'filled', filled_qty: '64' }),
      },
    ]);
    expect((await h.broker.submitOrder(request)).status).toBe('filled');
    expect(posts(h)).toBe(1);
  });

  it('a duplicate client_order_id the broker cannot find stays an invalid request', async () => {
    const h = harness([
      {
        method: 'POST',
        path: '/v2/orders',
        status: 422,
        body: { message: 'client_order_id must be unique' },
      },
    ]);
    expect((await rejection(h.broker.submitOrder(request))).code).toBe('invalid_request');
    expect(posts(h)).toBe(1);
  });

  it('a definite rejection is reported without any lookup', async () => {
    const h = harness([
      { method: 'POST', path: '/v2/orders', status: 403, body: { message: 'insufficient buying power' } },
    ]);
    expect((await rejection(h.broker.submitOrder(request))).code).toBe('insufficient_buying_power');
    expect(lookups(h)).toBe(0);
  });
});
