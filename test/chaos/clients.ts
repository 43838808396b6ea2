/**
 * HTTP clients for the chaos suites: one request with node:http (any header as given, `Host`
 * included; no connection reuse, so a paused peer never poisons later requests), a base-URL
 * client, and the simulator's client (its Alpaca surface and /_sim/ controls, with the keys).
 * Must preserve: a read that answers an error throws; it is never taken for "nothing there".
 */
import { request as httpRequest } from 'node:http';
import { SIM_HEADERS } from '../support/processes.js';

/** A JSON body, loosely typed (a test names T when it reads more than the error shape). */
export type JsonBody = Record<string, unknown> & {
  error?: { code: string; message: string; details?: Record<string, unknown> };
};

export interface HttpReply<T = JsonBody> {
  status: number;
  json: T;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** JSON-encoded when not a string. */
  body?: unknown;
  /** Rejects after this long (default 10 s). */
  timeoutMs?: number;
}

/**
 * One HTTP request with node:http (so any header, `Host` included, is sent as given; no
 * connection reuse, so a paused peer never poisons later requests). Rejects on network errors.
 */
export function http<T = JsonBody>(url: string, o: RequestOptions = {}): Promise<HttpReply<T>> {
  const body =
    o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const headers: Record<string, string> = {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...o.headers,
  };
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: o.method ?? (body === undefined ? 'GET' : 'POST'), headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => {
          let json: unknown = null;
          try {
            json = text === '' ? null : JSON.parse(text);
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, json: json as T, text, headers: res.headers });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(o.timeoutMs ?? 10_000, () =>
      req.destroy(new Error(`timeout: ${o.method ?? 'GET'} ${url}`)),
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A base URL with GET/POST helpers (extra headers per client, e.g. the simulator's keys). */
export class Client {
  constructor(
    public base: string,
    readonly headers: Record<string, string> = {},
  ) {}
  request<T = JsonBody>(path: string, o: RequestOptions = {}): Promise<HttpReply<T>> {
    return http<T>(`${this.base}${path}`, { ...o, headers: { ...this.headers, ...o.headers } });
  }
  get<T = JsonBody>(path: string, o: RequestOptions = {}): Promise<HttpReply<T>> {
    return this.request<T>(path, { ...o, method: 'GET' });
  }
  post<T = JsonBody>(path: string, body: unknown = {}, o: RequestOptions = {}): Promise<HttpReply<T>> {
    return this.request<T>(path, { ...o, method: 'POST', body });
  }
}

export interface SimOrder {
  id: string;
  client_order_id: string;
  symbol: string;
  side: string;
  qty: string | null;
  filled_qty: string;
  status: string;
}

/** The simulator: its Alpaca surface and its /_sim/ controls, with the keys. */
export class SimClient extends Client {
  constructor(base: string) {
    super(base, SIM_HEADERS);
  }
  /** GET that must answer 200 (an error is never mistaken for "nothing there"). */
  async ok<T>(path: string): Promise<T> {
    const r = await this.get<T>(path);
    if (r.status !== 200) throw new Error(`simulator GET ${path}: ${r.status} ${r.text}`);
    return r.json;
  }
  positions(): Promise<Array<{ symbol: string; qty: string }>> {
    return this.ok('/v2/positions');
  }
  openOrders(): Promise<SimOrder[]> {
    return this.ok('/v2/orders?status=open&limit=500');
  }
  allOrders(): Promise<SimOrder[]> {
    return this.ok('/v2/orders?status=all&limit=500&direction=asc');
  }
  /** Every order (any status) with this client order id. */
  async ordersByClientId(clientOrderId: string): Promise<SimOrder[]> {
    return (await this.allOrders()).filter((o) => o.client_order_id === clientOrderId);
  }
  /** Request counts by "METHOD /route" (Alpaca surface only), orders submitted, open orders. */
  stats(): Promise<{ requests: Record<string, number>; orders_submitted: number; open_orders: number }> {
    return this.ok('/_sim/stats');
  }
  /** Sets the faults (an empty object clears them all); throws on a refused body. */
  async faults(faults: Record<string, unknown>): Promise<void> {
    const r = await this.post('/_sim/faults', faults);
    if (r.status !== 200) throw new Error(`faults refused: ${r.status} ${r.text}`);
  }
  async reset(body: Record<string, unknown> = {}): Promise<void> {
    const r = await this.post('/_sim/reset', body);
    if (r.status !== 200) throw new Error(`reset refused: ${r.status} ${r.text}`);
  }
}
