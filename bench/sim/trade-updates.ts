/**
 * Simulator benchmark: (1) order submit -> `new` event latency over loopback through the official
 * SDK (REST submit + trading stream), (2) memory with 1,000 open orders, (3) sustained trade_updates
 * throughput to one client running in a worker thread (a second core), parsing every frame.
 * Run: npx tsx bench/sim/trade-updates.ts [latencyOrders=2000] [throughputOrders=40000]
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { streaming, trading } from '@alpacahq/alpaca-trade-api';
import { startSimulator } from '../../src/sim/server.js';

const latencyOrders = Number(process.argv[2] ?? 2000);
const throughputOrders = Number(process.argv[3] ?? 40000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function latency(): Promise<{
  p50: number;
  p90: number;
  p99: number;
  max: number;
  memory: Record<string, number>;
}> {
  const sim = await startSimulator({ rateLimit: 0, spread: '0', cash: '100000000' });
  const cfg = new trading.Configuration({ basePath: sim.tradingUrl, keyId: sim.keyId, secret: sim.secret });
  const orders = new trading.OrdersApi(cfg);
  const stream = new streaming.TradingStream({
    credentials: { keyId: sim.keyId, secret: sim.secret },
    url: sim.streamUrl,
  });
  const waiting = new Map<string, () => void>();
  stream.onTradeUpdate((u) => {
    if (u.event === 'new') waiting.get(u.order.clientOrderId as string)?.();
  });
  const listening = new Promise<void>((resolve) => stream.once('subscription', () => resolve()));
  stream.onConnect(() => stream.subscribeTradeUpdates());
  stream.connect();
  await listening;
  global.gc?.();
  const before = process.memoryUsage();
  const samples: number[] = [];
  let memory: Record<string, number> = {};
  for (let i = 0; i < latencyOrders; i++) {
    const clientOrderId = `lat-${i}`;
    const seen = new Promise<void>((resolve) => waiting.set(clientOrderId, resolve));
    const t0 = performance.now();
    await orders.postOrder({
      postOrderRequest: {
        symbol: 'AAPL',
        qty: '1',
        side: 'buy',
        type: 'limit',
        limitPrice: '1.00',
        timeInForce: 'gtc',
        clientOrderId,
      },
    });
    await seen;
    samples.push(performance.now() - t0);
    waiting.delete(clientOrderId);
    if (i === 999) {
      global.gc?.();
      const after = process.memoryUsage();
      memory = {
        openOrders: sim.broker.state.book.open().length,
        heapUsedDeltaMB: (after.heapUsed - before.heapUsed) / 2 ** 20,
        heapUsedMB: after.heapUsed / 2 ** 20,
        rssMB: after.rss / 2 ** 20,
      };
    }
  }
  stream.disconnect();
  await sim.stop();
  const sorted = samples.slice(100).sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
    memory,
  };
}

const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const WebSocket = require(workerData.wsPath);
const ws = new WebSocket(workerData.url);
let count = 0, first = 0;
ws.on('open', () => ws.send(JSON.stringify({ action: 'authenticate', data: { key_id: workerData.key, secret_key: workerData.secret } })));
ws.on('message', (data) => {
  const frame = JSON.parse(data.toString());
  if (frame.stream === 'authorization') ws.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
  else if (frame.stream === 'listening') parentPort.postMessage({ ready: true });
  else if (frame.stream === 'trade_updates') {
    if (count === 0) first = performance.now();
    count++;
    if (count === workerData.expected) { parentPort.postMessage({ count, ms: performance.now() - first }); ws.close(); }
  }
});
`;

async function throughput(): Promise<{ events: number; seconds: number; perSecond: number }> {
  const sim = await startSimulator({ rateLimit: 0, spread: '0', cash: '1000000000' });
  const expected = throughputOrders * 3;
  const { createRequire } = await import('node:module');
  const wsPath = createRequire(import.meta.url).resolve('ws');
  const worker = new Worker(CLIENT, {
    eval: true,
    workerData: { url: sim.streamUrl, key: sim.keyId, secret: sim.secret, expected, wsPath },
  });
  const result = new Promise<{ count: number; ms: number }>((resolve) => {
    worker.on('message', (m: { ready?: boolean; count: number; ms: number }) => {
      if (!m.ready) resolve(m);
    });
  });
  await new Promise<void>((resolve) => worker.once('message', () => resolve()));
  const body = { symbol: 'AAPL', qty: '1', side: 'buy', type: 'market', time_in_force: 'day' };
  for (let i = 0; i < throughputOrders; i += 500) {
    for (let j = 0; j < 500 && i + j < throughputOrders; j++) sim.broker.submit(body);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { count, ms } = await result;
  await worker.terminate();
  await sim.stop();
  return { events: count, seconds: ms / 1000, perSecond: count / (ms / 1000) };
}

const lat = await latency();
const thr = await throughput();
const report = {
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  },
  latencyMs: { orders: latencyOrders, p50: lat.p50, p90: lat.p90, p99: lat.p99, max: lat.max },
  memoryWith1000OpenOrders: lat.memory,
  throughput: thr,
};
console.log(JSON.stringify(report, null, 2));
