/**
 * SSE latency benchmark (issue 14): how long a fill placed straight at the broker takes to reach a
 * browser's event stream. Measured from outside: this process places a market order of 1 share
 * with POST /v2/orders on the simulator (with its keys, as a person on the broker's site would)
 * and holds one GET /events connection to the API; a sample is the time from sending the order to
 * the first SSE event that shows it: the order `filled` (orders), the new quantity (positions) and
 * the execution (fills, when the API has that kind). Orders alternate buy and sell on one symbol,
 * one at a time, each sent 100-600 ms (uniformly random) after the previous one was seen: the
 * spread covers a whole 500 ms poll period, so the send falls at a uniformly random phase of any
 * timer on the way (a fixed or narrow pause would lock onto the poll's phase). The first 10 are
 * warm-up. Loopback only; every child process is stopped at the end.
 *
 * Usage: npx tsx bench/sse/sse-bench.ts [samples=200] [deployment=all|all-in-one|separate-postgres|separate-redis]
 */
import { cpus } from 'node:os';
import { DEPLOYMENTS, type Deployment, type DeploymentName, startDeployment } from './deployments.js';
import { openSse, type SseFrame } from './sse-stream.js';

const SAMPLES = Number(process.argv[2] ?? 200);
const WHICH = process.argv[3] ?? 'all';
const WARMUP = 10;
const SAMPLE_TIMEOUT_MS = 5_000;
const SYMBOL = 'AAPL';
const KINDS = ['orders', 'positions', 'fills'] as const;
type Kind = (typeof KINDS)[number];

interface Wire {
  orders?: Array<{ id: string; status: string }>;
  positions?: Array<{ symbol: string; qty: string }>;
  fills?: Array<{ order_id: string }>;
}

/**
 * What the stream has shown, with the local time it was read: when each order was first seen
 * `filled`, when a fill of each order was first seen, and when the position first showed the
 * quantity a sample expects (set before its order is sent, so no event can be missed).
 */
class Observer {
  readonly kindsSeen = new Set<string>();
  qty = 0;
  readonly #filledAt = new Map<string, number>();
  readonly #fillAt = new Map<string, number>();
  #expect: { qty: number; at: number | null } | null = null;
  #wake: (() => void) | null = null;

  onEvent(frame: SseFrame, at: number): void {
    this.kindsSeen.add(frame.event);
    let body: Wire;
    try {
      body = JSON.parse(frame.data) as Wire;
    } catch {
      return;
    }
    if (frame.event === 'positions') {
      const p = body.positions?.find((x) => x.symbol === SYMBOL);
      this.qty = p ? Number(p.qty) : 0;
      if (this.#expect !== null && this.#expect.at === null && this.qty === this.#expect.qty)
        this.#expect.at = at;
    }
    if (frame.event === 'orders')
      for (const o of body.orders ?? [])
        if (o.status === 'filled' && !this.#filledAt.has(o.id)) this.#filledAt.set(o.id, at);
    if (frame.event === 'fills')
      for (const f of body.fills ?? []) if (!this.#fillAt.has(f.order_id)) this.#fillAt.set(f.order_id, at);
    this.#wake?.();
  }

  /** Call before sending the order: the position quantity the sample waits for. */
  expect(qty: number): void {
    this.#expect = { qty, at: null };
  }

  #seen(orderId: string): Partial<Record<Kind, number>> {
    const out: Partial<Record<Kind, number>> = {};
    const orders = this.#filledAt.get(orderId);
    const fills = this.#fillAt.get(orderId);
    const positions = this.#expect?.at ?? undefined;
    if (orders !== undefined) out.orders = orders;
    if (fills !== undefined) out.fills = fills;
    if (positions !== undefined) out.positions = positions;
    return out;
  }

  /** Resolves with the time each kind showed the order, once every kind the API sends did, or after the timeout. */
  async wait(orderId: string): Promise<Partial<Record<Kind, number>>> {
    const deadline = performance.now() + SAMPLE_TIMEOUT_MS;
    for (;;) {
      const seen = this.#seen(orderId);
      const complete = KINDS.every((k) => seen[k] !== undefined || !this.kindsSeen.has(k));
      const left = deadline - performance.now();
      if (complete || left <= 0) return seen;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
  }
}

async function placeOrder(d: Deployment, side: 'buy' | 'sell'): Promise<{ id: string; sentAt: number }> {
  const body = JSON.stringify({ symbol: SYMBOL, qty: '1', side, type: 'market', time_in_force: 'day' });
  const sentAt = performance.now();
  const res = await fetch(`${d.simUrl}/v2/orders`, {
    method: 'POST',
    headers: { ...d.simHeaders, 'content-type': 'application/json' },
    body,
  });
  if (!res.ok) throw new Error(`POST /v2/orders answered ${res.status}: ${await res.text()}`);
  return { id: ((await res.json()) as { id: string }).id, sentAt };
}

function stats(values: number[]) {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => v[Math.min(v.length - 1, Math.floor(q * v.length))] ?? Number.NaN;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: v.length, p50: r(at(0.5)), p90: r(at(0.9)), p99: r(at(0.99)), max: r(v.at(-1) ?? Number.NaN) };
}

async function measure(name: DeploymentName) {
  const d = await startDeployment(name);
  const observer = new Observer();
  const sse = await openSse(`${d.apiUrl}/events`, (frame, at) => observer.onEvent(frame, at));
  try {
    // The stream's initial state: every kind once.
    const deadline = Date.now() + 5_000;
    while (!observer.kindsSeen.has('positions') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 500));
    const base = observer.qty;
    const samples: Record<Kind | 'first', number[]> = { orders: [], positions: [], fills: [], first: [] };
    let timeouts = 0;
    for (let i = 0; i < SAMPLES + WARMUP; i++) {
      const side = observer.qty > base ? 'sell' : 'buy';
      const expected = observer.qty + (side === 'buy' ? 1 : -1);
      observer.expect(expected);
      const order = await placeOrder(d, side);
      const seen = await observer.wait(order.id);
      if (i < WARMUP) continue;
      const times = KINDS.filter((k) => observer.kindsSeen.has(k)).map((k) => seen[k]);
      if (times.some((t) => t === undefined)) timeouts++;
      for (const k of KINDS) {
        const t = seen[k];
        if (t !== undefined) samples[k].push(t - order.sentAt);
      }
      const shown = times.filter((t): t is number => t !== undefined);
      if (shown.length > 0) samples.first.push(Math.min(...shown) - order.sentAt);
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 500));
    }
    return {
      deployment: name,
      kinds: [...observer.kindsSeen].sort(),
      timeouts,
      first: stats(samples.first),
      orders: stats(samples.orders),
      positions: stats(samples.positions),
      fills: samples.fills.length > 0 ? stats(samples.fills) : null,
    };
  } finally {
    await sse.close();
    await d.stop();
  }
}

const chosen: DeploymentName[] =
  WHICH === 'all' ? [...DEPLOYMENTS] : [WHICH as DeploymentName].filter((n) => DEPLOYMENTS.includes(n));
if (chosen.length === 0)
  throw new Error(`unknown deployment ${WHICH}; one of all, ${DEPLOYMENTS.join(', ')}`);
console.log(
  `cpus: ${cpus().length} x ${cpus()[0]?.model ?? '?'}; node ${process.version}; ${SAMPLES} samples`,
);
for (const name of chosen) console.log(JSON.stringify(await measure(name)));
