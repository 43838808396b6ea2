/**
 * The all-in-one system (what `npm start` runs) end to end: the embedded simulator, the migrated
 * SQLite ledger, the embedded bus, the engine and the API in one process, driven only through the
 * HTTP API as a person (or the UI) would.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSystem, startAllInOne } from '../../src/cli/all-in-one.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';

let system: RunningSystem;

async function api<T = Record<string, unknown>>(
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const response = await fetch(`${system.apiUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as T };
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'centaur-aio-'));
  const config = loadConfig({ API_PORT: '0', LOG_LEVEL: 'silent', ENGINE_SYNC_MIN_INTERVAL_SECONDS: '0.2' });
  const log = createLogger({ service: 'test', profileId: 'default', environment: 'paper', level: 'silent' });
  system = await startAllInOne(config, log, { databaseUrl: `sqlite:${join(dir, 'aio.db')}`, simTickMs: 0 });
  await system.engine.ready();
});

afterAll(async () => {
  await system?.stop();
});

describe('all-in-one start', () => {
  it('serves a healthy API connected to the simulator with the demo account', async () => {
    expect(system.brokerDescription).toContain('embedded simulator');
    const health = await eventually(async () => {
      const h = await api<{ status: string }>('/health');
      return h.status === 200 ? h : undefined;
    });
    expect(health.json.status).toBe('ok');
    const positions = await api<{ positions: Array<{ symbol: string; qty: string }> }>('/state/positions');
    expect(positions.json.positions.map((p) => [p.symbol, p.qty]).sort()).toEqual([
      ['AAPL', '40'],
      ['MSFT', '15'],
      ['NVDA', '60'],
      ['SPY', '10'],
    ]);
  });

  it('takes a draft, a confirm, and shows the fill in positions without anything else', async () => {
    const draft = await api<{ id: string }>('/commands/draft', {
      symbol: 'AAPL',
      side: 'buy',
      qty: '2',
      type: 'market',
      time_in_force: 'day',
    });
    expect(draft.status).toBe(201);
    const confirm = await api<{ command: { id: string } }>('/commands/confirm', { draft_id: draft.json.id });
    expect(confirm.status).toBe(202);
    const done = await eventually(async () => {
      const c = await api<{ status: string; result: Record<string, unknown> | null }>(
        `/commands/${confirm.json.command.id}`,
      );
      return ['succeeded', 'failed', 'rejected', 'expired'].includes(c.json.status) ? c.json : undefined;
    });
    expect(done.status).toBe('succeeded');
    const aapl = await eventually(async () => {
      const p = await api<{ positions: Array<{ symbol: string; qty: string }> }>('/state/positions');
      const row = p.json.positions.find((x) => x.symbol === 'AAPL');
      return row?.qty === '42' ? row : undefined;
    });
    expect(aapl.qty).toBe('42');
    const fills = await api<{ fills: Array<{ symbol: string; qty: string }> }>('/state/fills?symbol=AAPL');
    expect(fills.json.fills.map((f) => f.qty)).toEqual(['2']);
  });
});

describe('all-in-one start with broker keys', () => {
  it('trades the configured Alpaca-compatible broker instead of the embedded simulator', async () => {
    const { startSimulator } = await import('../../src/sim/server.js');
    const broker = await startSimulator({ keyId: 'PAPERKEY1', secret: 'PAPERSECRET1', rateLimit: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'centaur-aio-keys-'));
    const config = loadConfig({
      API_PORT: '0',
      LOG_LEVEL: 'silent',
      ALPACA_API_KEY: broker.keyId,
      ALPACA_API_SECRET: broker.secret,
      ALPACA_TRADING_BASE_URL: broker.tradingUrl,
      ALPACA_DATA_BASE_URL: broker.dataUrl,
      DATABASE_URL: `sqlite:${join(dir, 'keys.db')}`,
    });
    const log = createLogger({
      service: 'test',
      profileId: 'default',
      environment: 'paper',
      level: 'silent',
    });
    const keyed = await startAllInOne(config, log, { simTickMs: 0 });
    try {
      expect(keyed.simulator).toBeNull();
      expect(keyed.brokerDescription).toBe(`Alpaca paper at ${broker.tradingUrl}`);
      await keyed.engine.ready();
      const health = await fetch(`${keyed.apiUrl}/health`);
      expect(health.status).toBe(200);
    } finally {
      await keyed.stop();
      await broker.stop();
    }
  });

  it('refuses live trading without the deliberate opt-in, starting nothing', async () => {
    const config = loadConfig({
      ALPACA_PAPER_TRADING: 'false',
      ALPACA_API_KEY: 'AKLIVEKEY0001',
      ALPACA_API_SECRET: 'LIVESECRET0001',
      API_PORT: '0',
    });
    const log = createLogger({ service: 'test', profileId: 'default', environment: 'live', level: 'silent' });
    await expect(startAllInOne(config, log)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('CENTAUR_LIVE_TRADING=enabled'),
    });
  });
});
