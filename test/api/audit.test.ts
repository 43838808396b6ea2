/**
 * The audit trail the API writes (drafts, confirms, kill switch, resume, cancel, refusals) with
 * its correlation chain, GET /audit filters, GET /audit/verify on a tampered row and against a
 * saved head (a cut or rewritten tail), the resume route's validation, the NDJSON export and the
 * head it reports, and the environment header on every answer.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exportAudit } from '../../src/cli/commands/audit.js';
import { verifyAuditChain } from '../../src/core/audit.js';
import {
  type Harness,
  type HarnessOptions,
  harness,
  marketBuy,
  PROFILE,
  seedMarket,
  TOKEN,
} from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

async function open(options: HarnessOptions = {}) {
  h = await harness(options);
  await seedMarket(h.store);
  return h;
}

const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  h.request({ method: 'POST', url, payload, headers });

async function events(query = '') {
  const r = await h.request({ method: 'GET', url: `/audit${query}` });
  expect(r.statusCode).toBe(200);
  return r.json().events as Array<Record<string, unknown> & { data: Record<string, unknown> }>;
}

describe('audit events written by the API', () => {
  it('chains request -> draft -> command -> client order id through correlation ids', async () => {
    await open();
    const d = await post('/commands/draft', marketBuy, { 'x-request-id': 'req-draft-1' });
    const draftId = d.json().id;
    const c = await post('/commands/confirm', { draft_id: draftId }, { 'x-request-id': 'req-confirm-1' });
    expect(c.statusCode).toBe(202);
    const command = c.json().command;
    expect(command.correlation_id).toBe('req-confirm-1');
    expect(command.actor).toBe('api:127.0.0.1');
    const [created, confirmed] = await events();
    expect(created).toMatchObject({
      seq: 1,
      action: 'draft.created',
      actor: 'api:127.0.0.1',
      subject_type: 'draft',
      subject_id: draftId,
      correlation_id: 'req-draft-1',
      reason: null,
      data: { draftId, denials: [] },
    });
    expect(confirmed).toMatchObject({
      seq: 2,
      action: 'draft.confirmed',
      subject_type: 'command',
      subject_id: command.id,
      correlation_id: 'req-confirm-1',
      data: { draftId, commandId: command.id, clientOrderId: `ctr-draft-${draftId}` },
    });
    expect(confirmed?.prev_hash).toBe(created?.hash);
  });

  it('records denied drafts, kill switch, resume and cancel requests, and refusals (not validation)', async () => {
    await open();
    await h.store.tradingState.set({
      profileId: PROFILE,
      state: 'HALTED',
      reason: 'k',
      changedBy: 'engine',
      changedAt: '2026-08-03T13:00:00Z',
    });
    const denied = (await post('/commands/draft', marketBuy)).json();
    await post('/commands/confirm', { draft_id: denied.id }, { 'x-request-id': 'req-refused' });
    await post('/commands/kill-switch', { confirm_token: 'LIVE' });
    await post('/commands/draft', { ...marketBuy, qty: '-1' }); // validation: not audited
    const kill = (await post('/commands/kill-switch', { confirm_token: 'paper', reason: 'drill' })).json();
    const resume = (await post('/commands/resume', { confirm_token: 'PAPER', reason: 'drill over' })).json();
    const cancel = (await post('/commands/cancel', { order_id: 'o-9' })).json();
    const all = await events();
    expect(all.map((e) => e.action)).toEqual([
      'draft.denied',
      'request.refused',
      'request.refused',
      'kill_switch.requested',
      'resume.requested',
      'cancel.requested',
    ]);
    expect(all[0]).toMatchObject({ subject_id: denied.id, data: { denials: ['TRADING_HALTED'] } });
    expect(all[0]?.reason).toContain('TRADING_HALTED');
    expect(all[1]).toMatchObject({
      correlation_id: 'req-refused',
      subject_type: 'draft',
      subject_id: denied.id,
      data: { code: 'draft_denied', status: 409, route: '/commands/confirm' },
    });
    expect(all[2]).toMatchObject({ data: { code: 'confirm_token_invalid' } });
    expect(all[3]).toMatchObject({
      reason: 'drill',
      subject_id: kill.command.id,
      correlation_id: kill.command.correlation_id,
    });
    expect(all[4]).toMatchObject({
      reason: 'drill over',
      subject_id: resume.command.id,
      data: { type: 'resume', from: 'HALTED' },
    });
    expect(all[5]).toMatchObject({ subject_id: cancel.command.id, data: { orderId: 'o-9' } });
  });

  it('records an expired confirm as a refusal, and nothing for an Idempotency-Key replay', async () => {
    await open();
    const id = (await post('/commands/draft', marketBuy)).json().id;
    await h.clock.advance(61_000);
    expect((await post('/commands/confirm', { draft_id: id })).statusCode).toBe(410);
    await post('/commands/cancel', { order_id: 'o-1' }, { 'idempotency-key': 'k' });
    await post('/commands/cancel', { order_id: 'o-1' }, { 'idempotency-key': 'k' });
    const all = await events();
    expect(all.map((e) => [e.action, e.data.code ?? null])).toEqual([
      ['draft.created', null],
      ['request.refused', 'draft_expired'],
      ['cancel.requested', null],
    ]);
  });

  it('names a token-authenticated actor without the token', async () => {
    h = await harness({ env: { API_TOKEN: TOKEN } });
    await seedMarket(h.store);
    const auth = { authorization: `Bearer ${TOKEN}` };
    await post('/commands/kill-switch', { confirm_token: 'PAPER' }, auth);
    const r = await h.request({ method: 'GET', url: '/audit', headers: auth });
    const [event] = r.json().events;
    expect(event.actor).toBe('api:token@127.0.0.1');
    expect(JSON.stringify(r.json())).not.toContain(TOKEN);
  });
});

describe('GET /audit and /audit/verify', () => {
  async function threeEvents() {
    await open();
    await post('/commands/draft', marketBuy, { 'x-request-id': 'r-1' });
    await h.clock.advance(10_000);
    await post('/commands/kill-switch', { confirm_token: 'PAPER' }, { 'x-request-id': 'r-2' });
    await h.clock.advance(10_000);
    await post('/commands/cancel', { order_id: 'o-1' }, { 'x-request-id': 'r-3' });
  }

  it('filters by action, actor, correlation id, time range, after_seq and limit', async () => {
    await threeEvents();
    const seqs = async (q: string) => (await events(q)).map((e) => e.seq);
    expect(await seqs('')).toEqual([1, 2, 3]);
    expect(await seqs('?action=kill_switch.requested')).toEqual([2]);
    expect(await seqs('?actor=api%3A127.0.0.1')).toEqual([1, 2, 3]);
    expect(await seqs('?actor=someone')).toEqual([]);
    expect(await seqs('?correlation_id=r-3')).toEqual([3]);
    expect(await seqs('?since=2026-08-03T14:00:05Z&until=2026-08-03T14:00:15Z')).toEqual([2]);
    expect(await seqs('?after_seq=1')).toEqual([2, 3]);
    const page = (await h.request({ method: 'GET', url: '/audit?limit=2' })).json();
    expect(page.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect(page.next_after_seq).toBe(2);
    const bad = await h.request({ method: 'GET', url: '/audit?after_seq=-1&since=yesterday' });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .error.details.fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['after_seq', 'since']);
  });

  it('verifies the chain and names the first tampered row', async () => {
    await threeEvents();
    const ok = (await h.request({ method: 'GET', url: '/audit/verify' })).json();
    const [, , third] = await events();
    expect(ok).toEqual({
      profile_id: PROFILE,
      ok: true,
      events: 3,
      first_broken_seq: null,
      head: { seq: 3, hash: third?.hash },
      anchor: null,
      recorded_head: { seq: 3, hash: third?.hash },
      recorded_head_matches: true,
    });
    expect(ok.head.hash).toMatch(/^[0-9a-f]{64}$/);
    await h.db.updateTable('audit_events').set({ reason: 'nothing to see' }).where('seq', '=', 2).execute();
    const broken = (await h.request({ method: 'GET', url: '/audit/verify' })).json();
    expect(broken).toMatchObject({ ok: false, events: 3, first_broken_seq: 2 });
  });

  it('detects a deleted row', async () => {
    await threeEvents();
    await h.db.deleteFrom('audit_events').where('seq', '=', 1).execute();
    const broken = (await h.request({ method: 'GET', url: '/audit/verify' })).json();
    expect(broken).toMatchObject({ ok: false, first_broken_seq: 2 });
  });

  it('returns a null head for an empty chain', async () => {
    await open();
    const r = (await h.request({ method: 'GET', url: '/audit/verify' })).json();
    expect(r).toMatchObject({ ok: true, events: 0, head: null, anchor: null });
  });
});

describe('GET /audit/verify against a saved head', () => {
  async function threeEvents() {
    await open();
    await post('/commands/draft', marketBuy);
    await post('/commands/kill-switch', { confirm_token: 'PAPER' });
    await post('/commands/cancel', { order_id: 'o-1' });
  }
  const verify = async (query = '') => {
    const r = await h.request({ method: 'GET', url: `/audit/verify${query}` });
    expect(r.statusCode).toBe(200);
    return r.json();
  };
  const against = (head: { seq: number; hash: string }) =>
    verify(`?expect_seq=${head.seq}&expect_hash=${head.hash}`);

  it('verifies ok while the chain only grows', async () => {
    await threeEvents();
    const { head } = await verify();
    expect(await against(head)).toMatchObject({
      ok: true,
      head,
      anchor: { seq: 3, hash: head.hash, found: true, matches: true },
    });
    await post('/commands/cancel', { order_id: 'o-2' });
    await post('/commands/cancel', { order_id: 'o-3' });
    const later = await against(head);
    expect(later).toMatchObject({ ok: true, events: 5, anchor: { found: true, matches: true } });
    expect(later.head.seq).toBe(5);
    expect((await verify(`?expect_seq=3&expect_hash=${head.hash.toUpperCase()}`)).ok).toBe(true);
  });

  it('reports a cut tail by the tip the store recorded, and by a saved head when the tip was rewound too', async () => {
    await threeEvents();
    const { head } = await verify();
    const [first] = await events();
    await h.db.deleteFrom('audit_events').where('profile_id', '=', PROFILE).where('seq', '>=', 2).execute();
    expect(await verify()).toMatchObject({
      ok: false,
      events: 1,
      first_broken_seq: null,
      recorded_head: { seq: 3, hash: head.hash },
      recorded_head_matches: false,
    });
    // Whoever also rewinds the recorded tip leaves a consistent shorter chain: only a saved head shows it.
    await h.db
      .updateTable('audit_heads')
      .set({ seq: 1, hash: String(first?.hash) })
      .where('profile_id', '=', PROFILE)
      .execute();
    expect(await verify()).toMatchObject({ ok: true, events: 1, recorded_head_matches: true });
    expect(await against(head)).toMatchObject({
      ok: false,
      events: 1,
      first_broken_seq: null,
      head: { seq: 1 },
      anchor: { seq: 3, hash: head.hash, found: false, matches: false },
    });
  });

  it('reports a deleted recorded tip while events remain', async () => {
    await threeEvents();
    await h.db.deleteFrom('audit_heads').where('profile_id', '=', PROFILE).execute();
    expect(await verify()).toMatchObject({ ok: false, recorded_head: null, recorded_head_matches: false });
  });

  it('reports a tail rewritten into a chain that verifies on its own', async () => {
    await threeEvents();
    const { head } = await verify();
    const [, second] = await events();
    // Whoever rewrites the tail also moves the stored tip back, so the chain stays consistent.
    await h.db.deleteFrom('audit_events').where('profile_id', '=', PROFILE).where('seq', '=', 3).execute();
    await h.db
      .updateTable('audit_heads')
      .set({ seq: 2, hash: String(second?.hash) })
      .where('profile_id', '=', PROFILE)
      .execute();
    await post('/commands/cancel', { order_id: 'o-other' });
    const plain = await verify();
    expect(plain).toMatchObject({ ok: true, events: 3, first_broken_seq: null });
    expect(plain.head.hash).not.toBe(head.hash);
    expect(await against(head)).toMatchObject({
      ok: false,
      first_broken_seq: null,
      anchor: { seq: 3, found: true, matches: false },
    });
  });

  it('reports an edited event and a good anchor together', async () => {
    await threeEvents();
    const { head } = await verify();
    await h.db.updateTable('audit_events').set({ reason: 'edited' }).where('seq', '=', 1).execute();
    expect(await against(head)).toMatchObject({
      ok: false,
      first_broken_seq: 1,
      anchor: { found: true, matches: true },
    });
  });

  it('refuses a half, malformed or unknown anchor, naming the field', async () => {
    await open();
    const hash = 'a'.repeat(64);
    const cases: Array<[string, string[]]> = [
      ['?expect_seq=3', ['expect_hash']],
      [`?expect_hash=${hash}`, ['expect_seq']],
      [`?expect_seq=0&expect_hash=${hash}`, ['expect_seq']],
      [`?expect_seq=-1&expect_hash=${hash}`, ['expect_seq']],
      [`?expect_seq=2.5&expect_hash=${hash}`, ['expect_seq']],
      ['?expect_seq=3&expect_hash=abc', ['expect_hash']],
      [`?expect_seq=3&expect_hash=${'g'.repeat(64)}`, ['expect_hash']],
      [`?expect_seq=3&expect_hash=${hash}&seq=3`, ['seq']],
    ];
    for (const [query, fields] of cases) {
      const r = await h.request({ method: 'GET', url: `/audit/verify${query}` });
      expect(r.statusCode, query).toBe(422);
      const error = r.json().error;
      expect(error.code).toBe('validation_failed');
      expect(error.details.fields.map((f: { field: string }) => f.field)).toEqual(fields);
      expect(error.details.fields[0].in).toBe('query');
    }
  });
});

describe('POST /commands/resume', () => {
  it('validates the token and a non-empty reason before storing anything', async () => {
    await open();
    const cases: Array<[object, number, string]> = [
      [{ confirm_token: 'PAPER' }, 422, 'validation_failed'],
      [{ confirm_token: 'PAPER', reason: '' }, 422, 'validation_failed'],
      [{ confirm_token: 'PAPER', reason: '   ' }, 422, 'validation_failed'],
      [{ reason: 'ok' }, 422, 'validation_failed'],
      [{ confirm_token: 'LIVE', reason: 'ok' }, 422, 'confirm_token_invalid'],
      [{ confirm_token: 'PAPER', reason: 'ok', extra: 1 }, 422, 'validation_failed'],
      [{ confirm_token: 'PAPER', reason: 'ok', profile_id: 'other' }, 422, 'profile_not_served'],
    ];
    for (const [body, status, code] of cases) {
      const r = await post('/commands/resume', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(status);
      expect(r.json().error.code).toBe(code);
    }
    expect(await h.commandCount()).toBe(0);
  });

  it('creates a resume command with no expiry (202), the same one for a repeated key (200)', async () => {
    await open();
    const headers = { 'idempotency-key': 'rearm-1' };
    const r = await post(
      '/commands/resume',
      { confirm_token: 'Paper', reason: '  checked the account  ' },
      headers,
    );
    expect(r.statusCode).toBe(202);
    expect(r.json().command).toMatchObject({
      type: 'resume',
      status: 'queued',
      expires_at: null,
      payload: { reason: 'checked the account' },
    });
    const again = await post(
      '/commands/resume',
      { confirm_token: 'PAPER', reason: 'checked the account' },
      headers,
    );
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ replayed: true, command: { id: r.json().command.id } });
    expect(await h.busEntries()).toBe(1);
  });
});

describe('audit export (NDJSON)', () => {
  it('writes one event per line in chain order, filtered, that verifies on its own', async () => {
    await open();
    await post('/commands/draft', marketBuy);
    await h.clock.advance(10_000);
    await post('/commands/kill-switch', { confirm_token: 'PAPER' });
    await post('/commands/cancel', { order_id: 'o-1' });
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const result = await exportAudit(h.store, PROFILE, {}, out);
    expect(result.count).toBe(3);
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(parsed[0]).toMatchObject({ profile_id: PROFILE, action: 'draft.created' });
    const back = parsed.map((e) => ({
      profileId: e.profile_id,
      seq: e.seq,
      at: e.at,
      actor: e.actor,
      action: e.action,
      reason: e.reason,
      subjectType: e.subject_type,
      subjectId: e.subject_id,
      correlationId: e.correlation_id,
      data: e.data,
      prevHash: e.prev_hash,
      hash: e.hash,
    }));
    expect(verifyAuditChain(back)).toBeNull();
    expect(result.head).toEqual({ seq: 3, hash: parsed[2].hash });
    const verified = (await h.request({ method: 'GET', url: '/audit/verify' })).json();
    expect(verified.head).toEqual(result.head);
    const filtered = new PassThrough();
    filtered.resume();
    expect(
      await exportAudit(
        h.store,
        PROFILE,
        { since: '2026-08-03T14:00:05Z', action: 'kill_switch.requested' },
        filtered,
      ),
    ).toEqual({ count: 1, head: { seq: 2, hash: parsed[1].hash } });
    await expect(exportAudit(h.store, PROFILE, { until: 'soon' }, filtered)).rejects.toThrow(/--until/);
  });

  it('runs as `centaur audit export --out file` against DATABASE_URL', async () => {
    const { buildProgram } = await import('../../src/cli/program.js');
    const dir = mkdtempSync(join(tmpdir(), 'centaur-export-'));
    const url = `sqlite:${join(dir, 'c.db')}`;
    const { openStore } = await import('../../src/adapters/storage/kysely-store.js');
    const store = await openStore(url, { migrate: true });
    await store.audit.append({
      profileId: 'default',
      at: '2026-08-03T14:00:00Z',
      actor: 'api:127.0.0.1',
      action: 'kill_switch.requested',
      reason: 'drill',
      subjectType: 'command',
      subjectId: 'c-1',
      correlationId: 'r-1',
      data: {},
    });
    await store.close();
    const saved = { ...process.env };
    process.env.DATABASE_URL = url;
    process.env.ENGINE_PROFILE_ID = 'default';
    process.env.LOG_LEVEL = 'silent';
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const file = join(dir, 'audit.ndjson');
      await buildProgram().parseAsync(['node', 'centaur', 'audit', 'export', '--out', file]);
      expect(String(stderr.mock.calls[0]?.[0])).toMatch(
        /^exported 1 audit event\(s\); head: seq 1 hash [0-9a-f]{64}\n/,
      );
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
        seq: 1,
        action: 'kill_switch.requested',
        reason: 'drill',
      });
    } finally {
      stderr.mockRestore();
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('x-centaur-environment', () => {
  it('is on every answer: reads, commands, errors and 404s, paper and live', async () => {
    await open();
    const answers = [
      await h.request({ method: 'GET', url: '/state/profile' }),
      await post('/commands/draft', marketBuy),
      await post('/commands/draft', { symbol: 'AAPL' }),
      await h.request({ method: 'GET', url: '/nope' }),
      await h.request({ method: 'GET', url: '/health' }),
    ];
    for (const r of answers) expect(r.headers['x-centaur-environment']).toBe('paper');
    await h.close();
    h = await harness({ env: { ALPACA_PAPER_TRADING: 'false', API_TOKEN: TOKEN } });
    const live = await h.request({
      method: 'GET',
      url: '/audit',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(live.headers['x-centaur-environment']).toBe('live');
  });
});
