// The narrow REST faults the chaos suites use: rest_delay_ms limited to some routes
// (rest_delay_routes), and order_response_delay_ms (POST /v2/orders accepts the order at once,
// visible to every read, and answers later). Timing is measured, never slept on.
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../src/sim/server.js';

const running: RunningSimulator[] = [];
async function start(): Promise<RunningSimulator> {
  const sim = await startSimulator({ rateLimit: 0, spread: '0' });
  running.push(sim);
  sim.setPrices({ AAPL: '190' });
  return sim;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

function call(sim: RunningSimulator, method: string, path: string, body?: unknown) {
  return fetch(`${sim.tradingUrl}${path}`, {
    method,
    headers: {
      'APCA-API-KEY-ID': sim.keyId,
      'APCA-API-SECRET-KEY': sim.secret,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function timed(work: () => Promise<Response>): Promise<{ ms: number; status: number; json: unknown }> {
  const started = performance.now();
  const res = await work();
  const json = await res.json();
  return { ms: performance.now() - started, status: res.status, json };
}

describe('rest_delay_routes', () => {
  it('delays only the listed routes', async () => {
    const sim = await start();
    const set = await call(sim, 'POST', '/_sim/faults', {
      rest_delay_ms: 400,
      rest_delay_routes: ['GET /v2/account'],
    });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ rest_delay_ms: 400, rest_delay_routes: ['GET /v2/account'] });
    const slow = await timed(() => call(sim, 'GET', '/v2/account'));
    const fast = await timed(() => call(sim, 'GET', '/v2/clock'));
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(390);
    expect(fast.status).toBe(200);
    expect(fast.ms).toBeLessThan(390);
  });

  it('refuses a route that is not "METHOD /path", and {} clears it', async () => {
    const sim = await start();
    const bad = await call(sim, 'POST', '/_sim/faults', { rest_delay_routes: ['/v2/account'] });
    expect(bad.status).toBe(422);
    const cleared = await call(sim, 'POST', '/_sim/faults', {});
    expect(await cleared.json()).toMatchObject({ rest_delay_routes: [], order_response_delay_ms: 0 });
  });
});

describe('order_response_delay_ms', () => {
  it('accepts the order at once (visible to reads) and answers later with it', async () => {
    const sim = await start();
    await call(sim, 'POST', '/_sim/faults', { order_response_delay_ms: 500 });
    const clientOrderId = 'late-answer-1';
    const posted = timed(() =>
      call(sim, 'POST', '/v2/orders', {
        symbol: 'AAPL',
        side: 'buy',
        type: 'market',
        time_in_force: 'day',
        qty: '1',
        client_order_id: clientOrderId,
      }),
    );
    let answered = false;
    void posted.then(() => {
      answered = true;
    });
    let seen: { id: string; client_order_id: string } | null = null;
    while (seen === null) {
      const res = await call(sim, 'GET', `/v2/orders:by_client_order_id?client_order_id=${clientOrderId}`);
      if (res.status === 200) seen = (await res.json()) as { id: string; client_order_id: string };
      else await res.body?.cancel();
    }
    expect(answered).toBe(false);
    const reply = await posted;
    expect(reply.status).toBe(200);
    expect(reply.ms).toBeGreaterThanOrEqual(490);
    expect(reply.json).toMatchObject({ id: seen.id, client_order_id: clientOrderId });
  });
});
