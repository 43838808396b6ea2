import { describe, expect, it } from 'vitest';
import { toBrokerError } from '../../../src/adapters/alpaca/alpaca-errors.js';
import type { OrderRequest } from '../../../src/core/order-request.js';
import { BrokerError } from '../../../src/ports/broker.js';
import { harness, json } from './harness.js';

const request: OrderRequest = {
  symbol: 'AAPL',
  side: 'buy',
  type: 'market',
  qty: '1',
  timeInForce: 'day',
  extendedHours: false,
  clientOrderId: 'ctr-draft-e1',
};

async function failure(promise: Promise<unknown>): Promise<BrokerError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BrokerError);
  return err as BrokerError;
}

function answering(status: number, body: unknown, headers: Record<string, string> = {}) {
  return harness([{ path: /.*/, respond: () => json(status, body, headers) }]);
}

describe('SDK errors become BrokerError codes', () => {
  it('403 insufficient buying power', async () => {
    const h = answering(403, { code: 40310000, message: 'insufficient buying power', buying_power: '10' });
    const err = await failure(h.broker.submitOrder(request));
    expect(err.code).toBe('insufficient_buying_power');
    expect(err.details).toMatchObject({ status: 403, brokerCode: 40310000 });
    expect(h.sent).toHaveLength(1);
  });

  it('403 insufficient qty', async () => {
    const h = answering(403, {
      code: 40310000,
      message: 'insufficient qty available for order (requested: 23, available: 0)',
    });
    expect((await failure(h.broker.closePosition('TSLA'))).code).toBe('insufficient_qty');
  });

  it('403 for anything else is a rejection', async () => {
    const h = answering(403, {
      code: 40310000,
      message: 'potential wash trade detected. use complex orders',
    });
    expect((await failure(h.broker.submitOrder(request))).code).toBe('rejected');
  });

  it('429 is rate_limited with the retry-after delay', async () => {
    const h = answering(429, { code: 42910000, message: 'rate limit exceeded' }, { 'Retry-After': '7' });
    const err = await failure(h.broker.getAccount());
    expect(err.code).toBe('rate_limited');
    expect(err.details.retryAfterMs).toBe(7000);
  });

  it('429 without Retry-After still says how long to wait', async () => {
    const h = answering(429, { message: 'rate limit exceeded' });
    expect((await failure(h.broker.getAccount())).details.retryAfterMs).toBe(60_000);
  });

  it('422 and 400 are invalid requests', async () => {
    const h = answering(422, { code: 42210000, message: 'invalid limit_price 290.123' });
    const err = await failure(h.broker.cancelOrder('o1'));
    expect(err.code).toBe('invalid_request');
    expect(err.message).toContain('invalid limit_price');
    const h400 = answering(400, { message: 'qty and notional' });
    expect((await failure(h400.broker.submitOrder(request))).code).toBe('invalid_request');
  });

  it('404 on a mutation is not_found; 401 is unauthorized', async () => {
    expect(
      (await failure(answering(404, { code: 40410000, message: 'order not found' }).broker.cancelOrder('x')))
        .code,
    ).toBe('not_found');
    expect(
      (
        await failure(
          answering(401, { code: 40110000, message: 'request is not authorized' }).broker.getAccount(),
        )
      ).code,
    ).toBe('unauthorized');
  });

  it('5xx on a read is unavailable, on a mutation ambiguous', async () => {
    expect((await failure(answering(503, { message: 'down' }).broker.listPositions())).code).toBe(
      'unavailable',
    );
    expect((await failure(answering(500, { message: 'boom' }).broker.cancelAllOrders())).code).toBe(
      'ambiguous',
    );
  });

  it('a network failure on a read is unavailable, on a mutation ambiguous', async () => {
    const down = () =>
      harness([
        {
          path: /.*/,
          respond: () => {
            throw new TypeError('fetch failed: ECONNRESET');
          },
        },
      ]);
    const read = await failure(down().broker.getClock());
    expect(read.code).toBe('unavailable');
    expect(read.message).toContain('ECONNRESET');
    expect((await failure(down().broker.cancelOrder('o1'))).code).toBe('ambiguous');
    expect((await failure(down().broker.setTradeSuspended(true))).code).toBe('ambiguous');
  });

  it('other statuses are rejections; BrokerErrors pass through unchanged', async () => {
    expect((await failure(answering(409, { message: 'conflict' }).broker.cancelOrder('o1'))).code).toBe(
      'rejected',
    );
    const original = new BrokerError('bad_data', 'x');
    expect(toBrokerError(original, { operation: 'op', mutation: true })).toBe(original);
    expect(toBrokerError('weird', { operation: 'op', mutation: false }).code).toBe('unavailable');
  });

  it('never puts the credentials into an error message', async () => {
    const h = answering(500, { message: 'boom' });
    const err = await failure(h.broker.submitOrder(request));
    expect(`${err.message} ${JSON.stringify(err.details)}`).not.toMatch(/KEY|SECRET/);
  });
});

describe('SDK retries of reads are counted by the budget', () => {
  it('retries a GET on 503 once and debits the retry; never retries a POST', async () => {
    let calls = 0;
    const h = harness(
      [
        {
          path: /.*/,
          respond: () => {
            calls++;
            return json(503, { message: 'down' });
          },
        },
      ],
      { retry: { maxRetries: 1, retryDelayMs: 1, maxDelayMs: 1 }, budget: { perMinute: 120, burst: 10 } },
    );
    await failure(h.broker.getAccount());
    expect(calls).toBe(2);
    expect(h.budget.available()).toBe(8);
    await failure(h.broker.cancelOrder('o1'));
    expect(calls).toBe(3);
  });
});
