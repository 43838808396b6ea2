/**
 * Command claims and the one clock (issue 13, items 3 and 10, API side): new commands are refused
 * with 503 bus_unavailable, and /health is 503 naming the command and its age, when the oldest
 * queued command has not been claimed within COMMAND_CLAIM_BOUND_MS by the store's clock; the
 * kill switch is still accepted, with a warning. Publishing after commit is honest about what
 * happened to the stored command. Times come from the store's clock, not the API host's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/storage/kysely-store.js';
import { COMMAND_CLAIM_BOUND_MS } from '../../src/api/command-service.js';
import type { CommandBus } from '../../src/ports/command-bus.js';
import type { Store } from '../../src/ports/store.js';
import {
  type Harness,
  type HarnessOptions,
  harness,
  heartbeat,
  marketBuy,
  NOW,
  PROFILE,
  seedMarket,
} from './harness.js';

let h: Harness;
afterEach(async () => h?.close());
const open = async (options: HarnessOptions = {}) => {
  h = await harness(options);
  await seedMarket(h.store);
  return h;
};

const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  h.request({ method: 'POST', url, payload, headers });
const killSwitch = () => post('/commands/kill-switch', { confirm_token: 'PAPER' });
const cancel = () => post('/commands/cancel', { order_id: 'o-1' });

/** Keeps the engine "alive" (a fresh heartbeat at the fake clock's now). */
const beat = () => h.store.heartbeats.write(heartbeat({ at: h.clock.timestamp() }));

describe('the claim bound', () => {
  it('is 15 s', () => {
    expect(COMMAND_CLAIM_BOUND_MS).toBe(15_000);
  });

  it('refuses new commands once the oldest queued command waited longer, but takes the kill switch with a warning', async () => {
    await open();
    const first = (await cancel()).json().command;
    await h.clock.advance(COMMAND_CLAIM_BOUND_MS);
    await beat();
    expect((await cancel()).statusCode).toBe(202); // exactly at the bound: still accepted
    expect((await h.request({ method: 'GET', url: '/health' })).statusCode).toBe(200);

    await h.clock.advance(1_000);
    await beat();
    const draft = (await post('/commands/draft', marketBuy)).json();
    const refused = [
      await cancel(),
      await post('/commands/confirm', { draft_id: draft.id }),
      await post('/commands/resume', { confirm_token: 'PAPER', reason: 'drill over' }),
    ];
    for (const r of refused) {
      expect(r.statusCode).toBe(503);
      expect(r.json().error).toMatchObject({
        code: 'bus_unavailable',
        details: { unclaimed_command_id: first.id, unclaimed_age_ms: 16_000, claim_bound_ms: 15_000 },
      });
    }
    expect((await h.store.drafts.get(PROFILE, draft.id))?.status).toBe('staged');

    const health = await h.request({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json().reasons).toEqual([
      `command ${first.id} (cancel_order) has been queued for 16 s without being claimed by an engine (bound 15 s)`,
    ]);
    expect(health.json().checks.commands).toEqual({
      ok: false,
      oldest_queued_id: first.id,
      oldest_queued_age_ms: 16_000,
      claim_bound_ms: 15_000,
    });

    const kill = await killSwitch();
    expect(kill.statusCode).toBe(202);
    expect(kill.json().command).toMatchObject({ type: 'kill_switch', status: 'queued' });
    expect(kill.json().warning).toMatch(/^the engine has not claimed queued commands for 16 s/);

    // The engine claims what is queued: commands are accepted again and the warning is gone.
    for (const c of await h.store.commands.list(PROFILE, { status: 'queued' })) {
      await h.store.commands.claim(PROFILE, c.id, h.clock.timestamp());
    }
    expect((await cancel()).statusCode).toBe(202);
    const again = await post(
      '/commands/kill-switch',
      { confirm_token: 'PAPER' },
      { 'idempotency-key': 'k2' },
    );
    expect(again.statusCode).toBe(202);
    expect(again.json()).not.toHaveProperty('warning');
    expect((await h.request({ method: 'GET', url: '/health' })).json().checks.commands.ok).toBe(true);
  });
});

describe('the store clock', () => {
  it('times commands, drafts, expiry and heartbeat ages by the store, not the API host', async () => {
    const ahead = 3_600_000; // the store's clock is an hour ahead of this host's
    await open({ storeClockOffsetMs: ahead });
    const storeNow = new Date(Date.parse(NOW) + ahead);
    await h.store.heartbeats.write(heartbeat({ at: storeNow.toISOString() }));
    await h.store.watermarks.set(
      PROFILE,
      'market_session',
      JSON.stringify({ session: 'core', at: storeNow.toISOString() }),
    );
    await h.store.marketData.upsertQuotes(PROFILE, [
      { symbol: 'AAPL', last: '100', bid: '100', ask: '100', at: storeNow.toISOString() },
    ]);
    const health = await h.request({ method: 'GET', url: '/health' });
    expect(health.json().checks.engine).toMatchObject({ ok: true, heartbeat_age_ms: 0 });
    const profile = (await h.request({ method: 'GET', url: '/state/profile' })).json();
    expect(profile.engine.heartbeat_age_ms).toBe(0);

    const draft = (await post('/commands/draft', marketBuy)).json();
    expect(draft.verdict.allowed).toBe(true);
    expect(draft.created_at).toBe(storeNow.toISOString());
    expect(draft.expires_at).toBe(new Date(storeNow.getTime() + 60_000).toISOString());
    const command = (await post('/commands/confirm', { draft_id: draft.id })).json().command;
    expect(command.created_at).toBe(storeNow.toISOString());
    expect(command.expires_at).toBe(new Date(storeNow.getTime() + 60_000).toISOString());
  });

  it('judges draft expiry by the store clock, whatever the API host says', async () => {
    let offset = 0;
    const storeNow = () => new Date(h.clock.now().getTime() + offset).toISOString();
    const freshen = async () => {
      await h.store.heartbeats.write(heartbeat({ at: storeNow() }));
      await h.store.marketData.upsertQuotes(PROFILE, [
        { symbol: 'AAPL', last: '100', bid: '100', ask: '100', at: storeNow() },
      ]);
    };
    await open({ wrapStore: (store) => ({ ...store, now: async () => storeNow() }) });
    const late = (await post('/commands/draft', marketBuy)).json();
    // The store's clock reaches the expiry while the host's has not moved: expired.
    offset = 60_000;
    await freshen();
    const expired = await post('/commands/confirm', { draft_id: late.id });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().error.code).toBe('draft_expired');
    // The host's clock passes the expiry while the store's has not: still confirmable.
    const early = (await post('/commands/draft', { ...marketBuy, qty: '2' })).json();
    expect(early.expires_at).toBe(new Date(Date.parse(NOW) + 120_000).toISOString());
    await h.clock.advance(150_000);
    offset = -60_000;
    await freshen();
    expect((await post('/commands/confirm', { draft_id: early.id })).statusCode).toBe(202);
  });
});

describe('publishing after commit', () => {
  function failingBus(onPublish: (commandId: string) => Promise<void>) {
    return (): CommandBus => ({
      publish: async (envelope) => {
        await onPublish(envelope.commandId);
        throw new Error('broken pipe');
      },
      consume: () => ({ stop: async () => {} }),
      healthy: async () => true,
      close: async () => {},
    });
  }

  it('answers 202 with the command when the engine claimed it before the rejection', async () => {
    await open({
      bus: (db) =>
        failingBus(async (id) => {
          await createStore(db).commands.claim(PROFILE, id, NOW);
        })(),
    });
    const draft = (await post('/commands/draft', marketBuy)).json();
    const r = await post('/commands/confirm', { draft_id: draft.id });
    expect(r.statusCode).toBe(202);
    expect(r.json().command).toMatchObject({ status: 'running' });
    expect((await h.store.drafts.get(PROFILE, draft.id))?.status).toBe('confirmed');
  });

  it('says the command is stored and may still run when the rejection cannot be recorded', async () => {
    let databaseDown = false;
    const down = (store: Store): Store => ({
      ...store,
      commands: {
        ...store.commands,
        rejectQueued: (...args) =>
          databaseDown
            ? Promise.reject(
                Object.assign(new Error('connect ECONNREFUSED 10.9.8.7:5432'), { code: 'ECONNREFUSED' }),
              )
            : store.commands.rejectQueued(...args),
      },
    });
    await open({
      bus: failingBus(async () => {
        databaseDown = true;
      }),
      wrapStore: down,
    });
    const draft = (await post('/commands/draft', marketBuy)).json();
    const r = await post('/commands/confirm', { draft_id: draft.id });
    expect(r.statusCode).toBe(503);
    const { command_id: commandId, ...details } = r.json().error.details;
    expect(r.json().error.code).toBe('bus_unavailable');
    expect(details).toEqual({ bus: 'embedded', stored: true, may_still_run: true });
    expect(r.body).not.toContain('10.9.8.7');
    expect(await h.store.commands.get(PROFILE, commandId)).toMatchObject({ status: 'queued' });
    // The draft stays confirmed: a repeat returns that command, never a second one.
    expect((await h.store.drafts.get(PROFILE, draft.id))?.status).toBe('confirmed');
    databaseDown = false;
    const repeat = await post('/commands/confirm', { draft_id: draft.id });
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json()).toMatchObject({ replayed: true, command: { id: commandId } });
    expect(await h.commandCount()).toBe(1);
  });
});
