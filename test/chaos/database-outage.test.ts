/**
 * Chaos, issue 13 item 5 (database outage): separate `centaur sim`, `engine` and `api` processes
 * on a private Postgres cluster (services.ts, never the shared one on 5432) and a private Redis.
 * A draft -> confirm storm runs; Postgres is stopped (`pg_ctl stop -m fast`) mid-storm. The API
 * must stay up and answer every request, 503 with a JSON error (`database_unavailable`, or
 * `bus_unavailable` for commands) for /health, drafts, confirms and the kill switch, never a
 * dropped connection; once Postgres is back, /health turns 200 by itself and every command that
 * was committed (every 202, and every row in `commands`) ends terminal. The engine stays up too:
 * its lease lapses during the outage, and the same process serves again under a new lease.
 * The open /health never shows the database address (item 7) while it is unreachable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLL_INTERVAL_MS } from '../support/processes.js';
import { serviceSuite } from '../support/services.js';
import {
  alive,
  Cluster,
  type DraftView,
  type HttpReply,
  type JsonBody,
  type Proc,
  TERMINAL,
} from './harness.js';
import { PostgresCluster, RedisServer } from './services.js';

/**
 * Postgres stays down at least this long: past the engine's 10 s lease TTL, so the engine's lease
 * lapses; it must stay up and serve again under a new lease once Postgres is back.
 */
const OUTAGE_MS = 14_000;
/** After Postgres is back: /health 200 and every committed command terminal within this. */
const RECOVERY_MS = 60_000;
const STORM_MAX = 400;
const STORM_WORKERS = 6;
const OUTAGE_CODES = ['database_unavailable', 'bus_unavailable'];

const BUY = { symbol: 'AAPL', side: 'buy', qty: '1', type: 'market', time_in_force: 'day' };

interface CommandReply {
  command: { id: string };
}

/** A request that never throws: a dropped connection comes back as status 0 with the error. */
async function answer<T = JsonBody>(send: () => Promise<HttpReply<T>>): Promise<HttpReply<T>> {
  try {
    return await send();
  } catch (error) {
    return { status: 0, json: {} as T, text: `no answer: ${String(error)}`, headers: {} };
  }
}

/** Why `r` is not a 503 with a JSON outage error, or null when it is one. */
function notOutage(r: HttpReply, what: string): string | null {
  const code = r.json?.error?.code;
  if (r.status === 503 && typeof code === 'string' && OUTAGE_CODES.includes(code)) return null;
  return `${what}: ${r.status} ${r.text.slice(0, 200)}`;
}

await serviceSuite('postgres', () => {
  describe('Postgres stops under a draft/confirm storm', () => {
    let pgc: PostgresCluster;
    let redis: RedisServer;
    let cluster: Cluster;
    let engine: Proc;

    beforeAll(async () => {
      pgc = await PostgresCluster.create();
      redis = await RedisServer.start();
      cluster = new Cluster({
        databaseUrl: pgc.url(),
        redisUrl: redis.url,
        env: {
          DRAFT_TTL_SECONDS: '600',
          RISK_MAX_POSITION_NOTIONAL: '1000000',
          RISK_MAX_POSITION_PCT_EQUITY: '100',
        },
      });
      await cluster.up();
      engine = cluster.startEngine('engine');
      await cluster.engineReady(engine);
      cluster.startApi();
      await cluster.healthy();
    }, 180_000);

    afterAll(async () => {
      await pgc?.start().catch(() => {});
      await cluster?.down();
      await pgc?.destroy();
      await redis?.destroy();
    }, 60_000);

    it('keeps the API answering 503 while Postgres is down and delivers every committed command after', async () => {
      const api = cluster.api;
      const held = await cluster.allowedDraft(BUY);
      const accepted: string[] = [];
      const problems: Array<string | null> = [];
      let down = false;
      let calm = false;

      // Several workers, so transactions are open (connections checked out) when Postgres stops.
      let sent = 0;
      const until = Date.now() + 120_000;
      const worker = async () => {
        while (sent < STORM_MAX && !calm && Date.now() < until) {
          const i = sent++;
          const sentDown = down;
          const draft = await answer(() => api.post<DraftView & JsonBody>('/commands/draft', BUY));
          if (draft.status === 0) problems.push(`storm draft ${i}: ${draft.text}`);
          if (sentDown) problems.push(notOutage(draft, `storm draft ${i} (database down)`));
          if (draft.status !== 201 || draft.json.verdict?.allowed !== true) continue;
          const confirmSentDown = down;
          const confirm = await answer(() =>
            api.post<CommandReply & JsonBody>('/commands/confirm', { draft_id: draft.json.id }),
          );
          if (confirm.status === 202) accepted.push(confirm.json.command.id);
          if (confirm.status === 0) problems.push(`storm confirm ${i}: ${confirm.text}`);
          if (confirmSentDown) problems.push(notOutage(confirm, `storm confirm ${i} (database down)`));
        }
      };
      const storming = Promise.all(Array.from({ length: STORM_WORKERS }, worker));
      await cluster.eventually(
        async () => (accepted.length >= 10 ? true : undefined),
        60_000,
        'storm under way',
      );

      await pgc.stop();
      down = true;
      const stoppedAt = Date.now();
      const apiProc = cluster.apiProc as Proc;
      let rounds = 0;
      while (rounds === 0 || Date.now() - stoppedAt < OUTAGE_MS) {
        rounds++;
        const health = await answer(() => api.get('/health'));
        const checks = health.json?.checks as { database?: { ok?: boolean } } | undefined;
        if (health.status !== 503 || checks?.database?.ok !== false)
          problems.push(`/health (database down): ${health.status} ${health.text.slice(0, 200)}`);
        if (health.text.includes(`127.0.0.1:${pgc.port}`))
          problems.push(`/health names the database address: ${health.text}`);
        problems.push(
          notOutage(await answer(() => api.post('/commands/draft', BUY)), 'draft (database down)'),
        );
        problems.push(
          notOutage(
            await answer(() => api.post('/commands/confirm', { draft_id: held.id })),
            'confirm (database down)',
          ),
        );
        problems.push(
          notOutage(
            await answer(() =>
              api.post('/commands/kill-switch', { confirm_token: 'paper', reason: 'chaos: db down' }),
            ),
            'kill switch (database down)',
          ),
        );
        if (!alive(apiProc)) problems.push(`api exited (${apiProc.child.exitCode}) during the outage`);
        // Time is what is tested here: the API must keep answering for the whole outage, so the
        // probe rounds are spread over OUTAGE_MS at the polling cadence.
        await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
      }
      calm = true;
      await storming;
      const found = problems.filter((p) => p !== null);
      const shown = found.slice(0, 30).join('\n');
      expect(
        found.length,
        `${found.length} bad answers while Postgres was down, first:\n${shown}\n${cluster.logs()}`,
      ).toBe(0);
      expect(alive(apiProc), `api exited: ${apiProc.output().slice(-3000)}`).toBe(true);

      await pgc.start();
      const backAt = Date.now();
      expect(alive(engine), `engine exited (${engine.child.exitCode}): ${engine.output().slice(-3000)}`).toBe(
        true,
      );
      await cluster.healthy(RECOVERY_MS);
      for (const id of accepted) {
        const done = await cluster.terminal(id, Math.max(1, backAt + RECOVERY_MS - Date.now()));
        expect(TERMINAL).toContain(done.status);
      }
      await cluster.eventually(
        async () => {
          const open = await cluster.sql<{ id: string; status: string }>(
            `select id, status from commands where profile_id = $1 and status not in ('succeeded', 'failed', 'rejected', 'expired')`,
            [cluster.profileId],
          );
          return open.length === 0 ? true : undefined;
        },
        Math.max(1, backAt + RECOVERY_MS - Date.now()),
        'every committed command terminal',
      );
      expect(accepted.length).toBeGreaterThanOrEqual(10);
      expect(alive(apiProc)).toBe(true);
      expect(alive(engine)).toBe(true);
      // The lease lapsed during the outage: the same process serves again as a new holder.
      expect(engine.output()).toContain('engine serving again under a new lease');
    }, 300_000);
  });
});
