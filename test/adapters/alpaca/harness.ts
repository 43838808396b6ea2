// Test harness for the Alpaca adapter: canned wire payloads and an adapter built on the SDK's
// `mockFetch`, recording every request that reached "the network".
import { type MockRoute, mockFetch } from '@alpacahq/alpaca-trade-api/testing';
import {
  type AlpacaAdapterConfig,
  createAlpacaBroker,
} from '../../../src/adapters/alpaca/create-alpaca-broker.js';
import { FakeClock } from '../../../src/adapters/system/fake-clock.js';

export interface SentRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
}

export function wireOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '61e69015-8549-4bfd-b9c3-01e75843f47d',
    client_order_id: 'ctr-draft-d1',
    created_at: '2026-08-03T13:31:02.118544123Z',
    updated_at: '2026-08-03T13:31:02.409871Z',
    submitted_at: '2026-08-03T13:31:02.114310Z',
    filled_at: null,
    expired_at: null,
    expires_at: '2026-08-03T20:00:00Z',
    cancel_requested_at: null,
    canceled_at: null,
    failed_at: null,
    replaced_at: null,
    replaced_by: null,
    replaces: null,
    asset_id: 'b0b6dd9d-8b9b-48a9-ba46-b9d54906e415',
    symbol: 'AAPL',
    asset_class: 'us_equity',
    notional: null,
    qty: '64',
    filled_qty: '0',
    filled_avg_price: null,
    order_class: '',
    order_type: 'limit',
    type: 'limit',
    side: 'buy',
    time_in_force: 'day',
    limit_price: '212.8400',
    stop_price: null,
    status: 'new',
    extended_hours: false,
    legs: null,
    trail_percent: null,
    trail_price: null,
    hwm: null,
    ...overrides,
  };
}

export function wireAccount(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'e6fe16f3-64a4-4921-8928-cadf02f92f98',
    account_number: 'PA3SIMULATED',
    status: 'ACTIVE',
    currency: 'USD',
    cash: '86378.24',
    portfolio_value: '100070.4',
    equity: '100070.40',
    last_equity: '100000',
    long_market_value: '13692.16',
    short_market_value: '0',
    buying_power: '186448.64',
    multiplier: '2',
    shorting_enabled: true,
    trading_blocked: false,
    transfers_blocked: false,
    account_blocked: false,
    trade_suspended_by_user: false,
    created_at: '2026-05-01T14:02:11.531234Z',
    ...overrides,
  };
}

export function wirePosition(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    asset_id: 'b0b6dd9d-8b9b-48a9-ba46-b9d54906e415',
    symbol: 'AAPL',
    exchange: 'NASDAQ',
    asset_class: 'us_equity',
    asset_marginable: true,
    qty: '64',
    qty_available: '64',
    side: 'long',
    avg_entry_price: '212.8400',
    cost_basis: '13621.76',
    market_value: '13692.16',
    current_price: '213.94',
    lastday_price: '211.20',
    change_today: '0.0129734848484848',
    unrealized_pl: '70.4',
    unrealized_plpc: '0.0051682014658898',
    unrealized_intraday_pl: '70.4',
    unrealized_intraday_plpc: '0.0051682014658898',
    ...overrides,
  };
}

export function wireFillActivity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '20260803093102401::8efc7b9a-8b2b-4000-9955-d36e7db0df74',
    activity_type: 'FILL',
    transaction_time: '2026-08-03T13:31:02.401233Z',
    type: 'fill',
    price: '212.84',
    qty: '64',
    side: 'buy',
    symbol: 'AAPL',
    leaves_qty: '0',
    cum_qty: '64',
    order_id: '61e69015-8549-4bfd-b9c3-01e75843f47d',
    order_status: 'filled',
    ...overrides,
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** An adapter over mockFetch; `sent` lists every request the SDK actually sent. */
export function harness(routes: MockRoute[], overrides: Partial<AlpacaAdapterConfig> = {}) {
  const sent: SentRequest[] = [];
  const inner = mockFetch(routes);
  const fetchApi = async (url: string, init: RequestInit): Promise<Response> => {
    const u = new URL(url);
    const body = typeof init.body === 'string' && init.body !== '' ? JSON.parse(init.body) : undefined;
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    sent.push({
      method: (init.method ?? 'GET').toUpperCase(),
      path: u.pathname,
      query: u.searchParams,
      body,
      headers,
    });
    return inner(url, init);
  };
  const clock = new FakeClock('2026-08-03T13:30:00.000Z');
  const adapter = createAlpacaBroker({
    tradingBaseUrl: 'http://127.0.0.1:1',
    streamUrl: 'ws://127.0.0.1:1/stream',
    dataBaseUrl: 'http://127.0.0.1:2',
    keyId: 'KEY',
    secret: 'SECRET',
    dataFeed: 'iex',
    budget: { perMinute: 100_000, burst: 1_000 },
    retry: { maxRetries: 0 },
    fetchApi,
    clock,
    ...overrides,
  });
  return { ...adapter, sent, clock };
}
