// Bad input gets Alpaca's error shape and status through the SDK's typed errors: parameter
// problems are 422 (400 for qty+notional), account problems 403 with context fields, unknown ids
// 404, bad keys 401, too many requests 429 with X-Ratelimit-* headers. Malformed bodies the SDK
// cannot produce are sent with fetch.
import {
  ApiError,
  AuthError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ValidationError,
} from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dec } from '../../src/core/decimal.js';
import { type RunningSimulator, startSimulator } from '../../src/sim/server.js';
import { openStream, type Sdk, sdkFor, updateFor } from './sdk.js';

let sim: RunningSimulator;
let sdk: Sdk;

beforeAll(async () => {
  sim = await startSimulator({ spread: '0', rateLimit: 0, cash: '10000', multiplier: '1' });
  sdk = sdkFor(sim);
});

afterAll(async () => {
  await sim.stop();
});

beforeEach(() => {
  sim.broker.reset(dec('10000'), []);
  sim.setPrices({ AAPL: '190', MSFT: '420' });
});

type Req = Parameters<Sdk['orders']['postOrder']>[0]['postOrderRequest'];
const submit = (req: Partial<Req> | Record<string, unknown>) =>
  sdk.orders.postOrder({
    postOrderRequest: {
      symbol: 'AAPL',
      side: 'buy',
      type: 'market',
      timeInForce: 'day',
      qty: '1',
      ...req,
    } as Req,
  });

async function bodyOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return (await (error as ApiError).response.json()) as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('parameter validation (422)', () => {
  it.each([
    [{ side: 'hold' }, 'invalid side'],
    [{ type: 'iceberg' }, 'invalid type'],
    [{ timeInForce: 'forever' }, 'invalid time_in_force'],
    [{ qty: undefined }, 'qty or notional is required'],
    [{ qty: '-1' }, 'qty must be > 0'],
    [{ qty: 'abc' }, 'invalid qty'],
    [{ type: 'limit' }, 'limit_price is required'],
    [{ type: 'stop' }, 'stop_price is required'],
    [{ type: 'trailing_stop' }, 'trailing stop orders require exactly one of trail_price or trail_percent'],
    [{ symbol: 'NOPE' }, 'asset "NOPE" not found'],
    [{ symbol: 'GONE' }, 'asset GONE is not active'],
    [{ symbol: 'HALT' }, 'asset "HALT" is not tradable'],
    [{ qty: '0.5', timeInForce: 'gtc' }, 'fractional orders must be DAY orders'],
    [{ symbol: 'BRK.A', qty: '0.001' }, 'requested asset is not fractionable'],
    [
      { type: 'limit', limitPrice: '290.123' },
      'invalid limit_price 290.123. sub-penny increment does not fulfill minimum pricing criteria',
    ],
    [
      { type: 'stop', stopPrice: '195.001' },
      'invalid stop_price 195.001. sub-penny increment does not fulfill minimum pricing criteria',
    ],
    [{ type: 'market', extendedHours: true }, 'extended hours order must be DAY limit orders'],
    [{ clientOrderId: 'x'.repeat(129) }, 'client_order_id must be no more than 128 characters'],
    [
      { orderClass: 'bracket', stopLoss: { stopPrice: '180' } },
      'bracket orders require take_profit.limit_price',
    ],
    [
      { orderClass: 'bracket', takeProfit: { limitPrice: '200' } },
      'bracket orders require stop_loss.stop_price',
    ],
    [
      {
        orderClass: 'bracket',
        timeInForce: 'ioc',
        takeProfit: { limitPrice: '200' },
        stopLoss: { stopPrice: '180' },
      },
      'bracket orders must be DAY or GTC orders',
    ],
    [
      {
        orderClass: 'bracket',
        type: 'stop',
        stopPrice: '195',
        takeProfit: { limitPrice: '200' },
        stopLoss: { stopPrice: '180' },
      },
      'bracket orders must have a market or limit entry',
    ],
    [
      {
        orderClass: 'bracket',
        qty: '1.5',
        takeProfit: { limitPrice: '200' },
        stopLoss: { stopPrice: '180' },
      },
      'fractional orders are not supported for advanced order classes',
    ],
    [
      {
        orderClass: 'bracket',
        notional: '500',
        qty: undefined,
        takeProfit: { limitPrice: '200' },
        stopLoss: { stopPrice: '180' },
      },
      'fractional orders are not supported for advanced order classes',
    ],
    [
      {
        orderClass: 'oto',
        type: 'limit',
        limitPrice: '190',
        extendedHours: true,
        takeProfit: { limitPrice: '200' },
      },
      'oto orders cannot be extended hours',
    ],
    [
      { orderClass: 'bracket', takeProfit: { limitPrice: '180' }, stopLoss: { stopPrice: '185' } },
      'take_profit.limit_price must be > stop_loss.stop_price',
    ],
    [
      { orderClass: 'bracket', takeProfit: { limitPrice: '200' }, stopLoss: { stopPrice: '189.995' } },
      'invalid stop_loss.stop_price 189.995. sub-penny increment does not fulfill minimum pricing criteria',
    ],
    [
      {
        orderClass: 'bracket',
        takeProfit: { limitPrice: '200' },
        stopLoss: { stopPrice: '189.99', limitPrice: '189.555' },
      },
      'invalid stop_loss.limit_price 189.555. sub-penny increment does not fulfill minimum pricing criteria',
    ],
    [
      { orderClass: 'bracket', takeProfit: { limitPrice: '200.001' }, stopLoss: { stopPrice: '180' } },
      'invalid take_profit.limit_price 200.001. sub-penny increment does not fulfill minimum pricing criteria',
    ],
    [
      { orderClass: 'bracket', takeProfit: { limitPrice: '200' }, stopLoss: { stopPrice: '190' } },
      'stop_loss.stop_price must be <= 189.99',
    ],
    [
      {
        orderClass: 'bracket',
        type: 'limit',
        limitPrice: '185',
        takeProfit: { limitPrice: '200' },
        stopLoss: { stopPrice: '185' },
      },
      'stop_loss.stop_price must be <= 184.99',
    ],
    [
      {
        orderClass: 'bracket',
        side: 'sell',
        takeProfit: { limitPrice: '180' },
        stopLoss: { stopPrice: '190' },
      },
      'stop_loss.stop_price must be >= 190.01',
    ],
    [
      {
        orderClass: 'bracket',
        side: 'sell',
        takeProfit: { limitPrice: '205' },
        stopLoss: { stopPrice: '200' },
      },
      'take_profit.limit_price must be < stop_loss.stop_price',
    ],
    [
      { orderClass: 'oto', type: 'limit', limitPrice: '185' },
      'oto orders require exactly one of take_profit or stop_loss',
    ],
    [
      { orderClass: 'oco', side: 'sell', takeProfit: { limitPrice: '200' }, stopLoss: { stopPrice: '180' } },
      'oco orders must be limit orders',
    ],
    [
      {
        orderClass: 'oco',
        side: 'sell',
        type: 'limit',
        takeProfit: { limitPrice: '200' },
        stopLoss: { stopPrice: '200' },
      },
      'take_profit.limit_price must be > stop_loss.stop_price',
    ],
    [
      {
        orderClass: 'oco',
        side: 'sell',
        type: 'limit',
        takeProfit: { limitPrice: '200' },
        stopLoss: { stopPrice: '180' },
      },
      'oco orders must reduce an existing position',
    ],
  ])('rejects %j with %s', async (req, message) => {
    const error = await submit(req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ status: 422, message });
    expect(String((error as ApiError).code)).toMatch(/^422|^400/);
  });

  it('accepts sub-penny prices below $1 up to four decimals', async () => {
    const order = await submit({ symbol: 'SIRI', type: 'limit', limitPrice: '0.4999', qty: '10' });
    expect(order.limitPrice).toBe('0.4999');
    await expect(submit({ symbol: 'SIRI', type: 'limit', limitPrice: '0.49991' })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('rejects qty together with notional with 400', async () => {
    await expect(submit({ qty: '1', notional: '100' })).rejects.toMatchObject({
      status: 400,
      code: 40010000,
    });
  });

  it('accepts numeric decimals in the body (the generated layer sends what the caller typed)', async () => {
    const order = await submit({
      qty: 2 as unknown as string,
      type: 'limit',
      limitPrice: 150.5 as unknown as string,
    });
    expect(order.qty).toBe('2');
    expect(order.limitPrice).toBe('150.5');
  });

  it('rejects a duplicate client_order_id, also after the first order was canceled', async () => {
    const first = await submit({ clientOrderId: 'dup-1', type: 'limit', limitPrice: '100' });
    await expect(submit({ clientOrderId: 'dup-1', type: 'limit', limitPrice: '100' })).rejects.toMatchObject({
      status: 422,
      code: 40010001,
      message: 'client_order_id must be unique',
    });
    await sdk.orders.deleteOrderByOrderID({ orderId: first.id as string });
    await expect(submit({ clientOrderId: 'dup-1' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('account checks (403)', () => {
  it('rejects insufficient buying power with buying_power and cost_basis', async () => {
    const error = submit({ qty: '100', type: 'limit', limitPrice: '190' });
    await expect(error).rejects.toBeInstanceOf(PermissionError);
    const body = await bodyOf(submit({ qty: '100', type: 'limit', limitPrice: '190' }));
    expect(body).toEqual({
      buying_power: '10000',
      code: 40310000,
      cost_basis: '19000',
      message: 'insufficient buying power',
    });
  });

  it('open buy orders reserve buying power', async () => {
    await submit({ qty: '50', type: 'limit', limitPrice: '150' });
    const account = await sdk.account.getAccount();
    expect(account.buyingPower).toBe('2500');
    await expect(submit({ qty: '20', type: 'limit', limitPrice: '150' })).rejects.toMatchObject({
      status: 403,
    });
  });

  it('rejects selling shares held for other orders, with the context fields', async () => {
    sim.broker.reset(dec('10000'), [{ symbol: 'AAPL', qty: dec(10), avgEntry: dec(180) }]);
    const held = await submit({ side: 'sell', qty: '10', type: 'limit', limitPrice: '250' });
    const body = await bodyOf(submit({ side: 'sell', qty: '5', type: 'limit', limitPrice: '260' }));
    expect(body).toEqual({
      available: '0',
      code: 40310000,
      existing_qty: '10',
      held_for_orders: '10',
      message: 'insufficient qty available for order (requested: 5, available: 0)',
      related_orders: [held.id],
      symbol: 'AAPL',
    });
  });

  it('rejects a sell that would flip a long position short', async () => {
    sim.broker.reset(dec('10000'), [{ symbol: 'AAPL', qty: dec(2), avgEntry: dec(180) }]);
    await expect(submit({ side: 'sell', qty: '3' })).rejects.toMatchObject({ status: 403, code: 40310000 });
  });

  it('applies short-sale rules: hard-to-borrow, fractional, disabled shorting', async () => {
    await expect(submit({ symbol: 'GME', side: 'sell', qty: '1' })).rejects.toMatchObject({
      status: 403,
      message: 'asset GME cannot be sold short',
    });
    await expect(submit({ side: 'sell', qty: '0.5' })).rejects.toMatchObject({ status: 403 });
    await sdk.configs.patchAccountConfig({ accountConfigurations: { noShorting: true } });
    await expect(submit({ side: 'sell', qty: '1' })).rejects.toMatchObject({
      message: 'account is not allowed to short',
    });
  });

  it('detects a potential wash trade against an opposite open order', async () => {
    sim.broker.reset(dec('10000'), [{ symbol: 'AAPL', qty: dec(10), avgEntry: dec(180) }]);
    await submit({ side: 'sell', qty: '1', type: 'limit', limitPrice: '195' });
    await expect(submit({ qty: '1' })).rejects.toMatchObject({
      status: 403,
      message: 'potential wash trade detected. use complex orders',
    });
    await expect(submit({ qty: '1', type: 'limit', limitPrice: '196' })).rejects.toMatchObject({
      status: 403,
    });
    await expect(submit({ qty: '1', type: 'limit', limitPrice: '194' })).resolves.toMatchObject({
      status: 'pending_new',
    });
  });

  it('suspend_trade in the account configuration blocks new orders', async () => {
    const config = await sdk.configs.patchAccountConfig({ accountConfigurations: { suspendTrade: true } });
    expect(config.suspendTrade).toBe(true);
    expect((await sdk.account.getAccount()).tradeSuspendedByUser).toBe(true);
    await expect(submit({})).rejects.toMatchObject({
      status: 403,
      message: 'account is not authorized to trade',
    });
  });
});

describe('unknown ids and bad keys', () => {
  it('answers 404 for an unknown order, client order id or position; 422 for a malformed id', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expect(sdk.orders.getOrderByOrderID({ orderId: unknown })).rejects.toBeInstanceOf(NotFoundError);
    await expect(sdk.orders.deleteOrderByOrderID({ orderId: unknown })).rejects.toMatchObject({
      status: 404,
      code: 40410000,
    });
    await expect(sdk.orders.getOrderByClientOrderId({ clientOrderId: 'never' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(sdk.positions.getOpenPosition({ symbolOrAssetId: 'AAPL' })).rejects.toMatchObject({
      status: 404,
      message: 'position does not exist',
    });
    await expect(sdk.orders.getOrderByOrderID({ orderId: 'not-a-uuid' })).rejects.toMatchObject({
      status: 422,
      message: 'order_id is missing',
    });
  });

  it('answers 401 with code 40110000 for a wrong secret', async () => {
    const bad = sdkFor(sim, { keyId: sim.keyId, secret: 'wrong' });
    const error = await bad.account.getAccount().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 401, code: 40110000, message: 'request is not authorized' });
    expect((error as ApiError).requestId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('malformed requests the SDK cannot produce', () => {
  const headers = () => ({ 'APCA-API-KEY-ID': sim.keyId, 'APCA-API-SECRET-KEY': sim.secret });

  it('answers a broken JSON body with 400 and Alpaca’s shape', async () => {
    for (const body of ['{"symbol":', '[1,2]', '"text"']) {
      const res = await fetch(`${sim.tradingUrl}/v2/orders`, {
        method: 'POST',
        headers: { ...headers(), 'Content-Type': 'application/json' },
        body,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ code: 40010000, message: 'request body format is invalid' });
    }
  });

  it('answers an unknown path with 404 JSON and still serves afterwards', async () => {
    const res = await fetch(`${sim.tradingUrl}/v2/nothing`, { headers: headers() });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 40410000 });
    expect((await sdk.account.getAccount()).status).toBe('ACTIVE');
  });

  it('answers bad query parameters with 422', async () => {
    const res = await fetch(`${sim.tradingUrl}/v2/orders?limit=9999`, { headers: headers() });
    expect(res.status).toBe(422);
    const res2 = await fetch(`${sim.tradingUrl}/v2/orders?status=weird`, { headers: headers() });
    expect(await res2.json()).toEqual({ code: 40010001, message: 'invalid status: weird' });
  });

  it('answers a missing key header with 401', async () => {
    const res = await fetch(`${sim.tradingUrl}/v2/account`);
    expect(res.status).toBe(401);
    expect(res.headers.get('x-ratelimit-limit')).toBe('0');
  });
});

describe('rate limit', () => {
  it('answers 429 past the per-minute budget with X-Ratelimit headers on every response', async () => {
    const limited = await startSimulator({ rateLimit: 3 });
    try {
      const api = sdkFor(limited);
      const ok = await api.account.getAccountRaw();
      expect(ok.raw.headers.get('x-ratelimit-limit')).toBe('3');
      expect(ok.raw.headers.get('x-ratelimit-remaining')).toBe('2');
      expect(Number(ok.raw.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
      await api.clock.legacyClock();
      await api.positions.getAllOpenPositions();
      const error = await api.orders
        .postOrder({
          postOrderRequest: { symbol: 'AAPL', qty: '1', side: 'buy', type: 'market', timeInForce: 'day' },
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ status: 429, code: 42910000, message: 'rate limit exceeded' });
      expect((error as RateLimitError).rateLimit?.remaining).toBe(0);
      const stats = await fetch(`${limited.tradingUrl}/_sim/stats`, {
        headers: { 'APCA-API-KEY-ID': limited.keyId, 'APCA-API-SECRET-KEY': limited.secret },
      });
      expect(stats.status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});

describe('server faults', () => {
  it('injected REST errors surface as ApiError with the configured status', async () => {
    const faulty = await startSimulator({ rateLimit: 0 });
    const control = (path: string, body: unknown) =>
      fetch(`${faulty.tradingUrl}${path}`, {
        method: 'POST',
        headers: {
          'APCA-API-KEY-ID': faulty.keyId,
          'APCA-API-SECRET-KEY': faulty.secret,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    try {
      expect((await control('/_sim/faults', { rest_error_rate: 1, rest_error_status: 503 })).status).toBe(
        200,
      );
      const error = await sdkFor(faulty)
        .account.getAccount()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 503, code: 50310000 });
      expect((await control('/_sim/faults', {})).status).toBe(200);
      await expect(sdkFor(faulty).account.getAccount()).resolves.toMatchObject({ status: 'ACTIVE' });
      expect((await control('/_sim/faults', { rest_error_rate: 2 })).status).toBe(422);
      expect((await control('/_sim/faults', { nonsense: 1 })).status).toBe(422);
    } finally {
      await faulty.stop();
    }
  });

  it('a market order still fills after errors are cleared (no state leaks from faults)', async () => {
    const s = await openStream(sim);
    try {
      const order = await submit({ qty: '1' });
      await s.next(updateFor(order.id as string, 'fill'));
    } finally {
      s.close();
    }
  });
});
