/**
 * The chaos suites' cluster: Centaur exactly as compose runs it (the standalone simulator,
 * `centaur migrate`, one or more `centaur engine` and `centaur api`, each a separate process) on a
 * Postgres database created for the test file and dropped after it, and a Redis stream named after
 * that database. A test drives it only from outside: the HTTP API, the simulator's Alpaca surface
 * and /_sim/ controls, SQL on the test database, and signals to the processes.
 *
 * Usage (one cluster per test file):
 *   const cluster = new Cluster({ redisUrl?, databaseUrl?, env?, engineEnv?, apiEnv? });
 *   beforeAll(() => cluster.up(), 120_000);          // database, simulator, migrate
 *   afterAll(() => cluster.down(), 60_000);          // every process stopped, database dropped
 *   const a = cluster.startEngine('A');              // engines are started (and signalled) one by one
 *   await cluster.engineReady(a);
 *   cluster.startApi(); await cluster.apiUp();
 *   await cluster.api.post('/commands/kill-switch', { confirm_token: 'paper' });
 *   cluster.signal(a, 'SIGSTOP');
 *
 * Must preserve (other suites import it): the API only grows; every wait polls with a deadline
 * (no fixed sleeps); `down()` never throws because a service a test stopped is gone.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  alive,
  freePort,
  GiveUp,
  type Proc,
  ProcessGroup,
  pollUntil,
  SIM_KEY,
  SIM_SECRET,
} from '../support/processes.js';
import { postgresUrl, redisUrl, serviceAvailable, serviceSuite } from '../support/services.js';
import { Client, SimClient } from './clients.js';

export { alive, GiveUp, type Proc, SIM_HEADERS } from '../support/processes.js';
export {
  Client,
  type HttpReply,
  http,
  type JsonBody,
  type RequestOptions,
  SimClient,
  type SimOrder,
} from './clients.js';

/** The engine's lease: TTL 10 s, renewed every 3 s (src/engine/engine-options.ts). */
export const LEASE_TTL_MS = 10_000;
export const LEASE_RENEW_MS = 3_000;
export const TERMINAL = ['succeeded', 'failed', 'rejected', 'expired'] as const;

export interface ClusterOptions {
  /** Postgres server to create the test database on (any database name; default: postgresUrl()). */
  databaseUrl?: string;
  /** Redis for the command bus (default: redisUrl()). */
  redisUrl?: string;
  /** Extra environment for every engine and API process (overrides the defaults below). */
  env?: Record<string, string>;
  /** Extra environment for engines only / the API only (applied after `env`). */
  engineEnv?: Record<string, string>;
  apiEnv?: Record<string, string>;
  /** Extra `centaur sim` arguments (after the defaults: fixed prices, no partial fills, no rate limit). */
  simArgs?: string[];
  /** Cash the simulator's account starts with (default 100000). */
  cash?: string;
}

export interface DraftView {
  id: string;
  status: string;
  content_hash: string;
  verdict: { allowed: boolean; checks: Array<{ check: string; passed: boolean; code: string | null }> };
  command_id: string | null;
}

export interface CommandView {
  id: string;
  type: string;
  status: string;
  attempts: number;
  result: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  expires_at: string | null;
  payload: Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Cluster {
  readonly group = new ProcessGroup();
  readonly database = `centaur_chaos_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  readonly profileId = 'chaos';
  /** The per-file database's URL (what DATABASE_URL is for every process). */
  readonly dbUrl: string;
  readonly sim: SimClient = new SimClient('');
  readonly api: Client = new Client('');
  simProc: Proc | null = null;
  apiProc: Proc | null = null;
  apiPort = 0;
  #admin: string;
  #pool: pg.Pool;
  #created = false;

  constructor(readonly o: ClusterOptions = {}) {
    this.#admin = o.databaseUrl ?? postgresUrl();
    const url = new URL(this.#admin);
    url.pathname = `/${this.database}`;
    this.dbUrl = url.toString();
    this.#pool = new pg.Pool({ connectionString: this.dbUrl, max: 2, connectionTimeoutMillis: 3_000 });
    // A test may stop Postgres on purpose: an idle client's error must not crash the test runner.
    this.#pool.on('error', () => {});
  }

  /** The environment every engine and API process gets (before per-process extras). */
  get env(): Record<string, string> {
    return {
      DATABASE_URL: this.dbUrl,
      REDIS_URL: this.o.redisUrl ?? redisUrl(),
      COMMAND_QUEUE_NAME: `centaur-chaos:${this.database}`,
      ENGINE_PROFILE_ID: this.profileId,
      ALPACA_API_KEY: SIM_KEY,
      ALPACA_API_SECRET: SIM_SECRET,
      ALPACA_TRADING_BASE_URL: this.sim.base,
      ALPACA_DATA_BASE_URL: this.sim.base,
      ENGINE_SYNC_MIN_INTERVAL_SECONDS: '0.3',
      ENGINE_POLL_INTERVAL_SECONDS: '2',
      RISK_MAX_ORDERS_PER_MINUTE: '1000',
      RISK_MAX_OPEN_ORDERS: '500',
      API_PORT: String(this.apiPort),
      LOG_LEVEL: 'info',
      ...this.o.env,
    };
  }

  /** Creates the database, starts the simulator (flat account), migrates. */
  async up(): Promise<void> {
    const admin = new pg.Client({ connectionString: this.#admin });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${this.database}`);
    await admin.end();
    this.#created = true;
    const simPort = await freePort();
    this.apiPort = await freePort();
    this.sim.base = `http://127.0.0.1:${simPort}`;
    this.api.base = `http://127.0.0.1:${this.apiPort}`;
    this.simProc = this.group.start(
      'sim',
      [
        'sim',
        ...['--port', String(simPort), '--key', SIM_KEY, '--secret', SIM_SECRET],
        ...['--tick-ms', '0', '--partial-fills', '0', '--rate-limit', '0'],
        ...(this.o.simArgs ?? []),
      ],
      { LOG_LEVEL: 'warn' },
    );
    await this.eventually(
      async () => ((await this.sim.get('/v2/clock')).status === 200 ? true : undefined),
      30_000,
      'simulator up',
    );
    await this.sim.reset({ cash: this.o.cash ?? '100000' });
    const migrate = this.group.run(['migrate'], this.env);
    if (migrate.status !== 0)
      throw new Error(`centaur migrate failed (${migrate.status}): ${migrate.stderr}`);
  }

  /** Starts `centaur engine` (not waiting for it). `env` is added for this process only. */
  startEngine(name = 'engine', env: Record<string, string> = {}): Proc {
    return this.group.start(name, ['engine'], { ...this.env, ...this.o.engineEnv, ...env });
  }

  /**
   * Waits until this engine process is ready (its heartbeat, holder `host:<pid>:…`, says ready, or
   * it logged "engine ready"); throws with the logs when it exits first or the deadline passes.
   */
  async engineReady(proc: Proc, timeoutMs = 60_000): Promise<void> {
    const pid = proc.child.pid;
    await this.eventually(
      async () => {
        if (!alive(proc))
          throw new GiveUp(`${proc.name} exited (${proc.child.exitCode}) before it was ready`);
        if (proc.output().includes('engine ready')) return true;
        const r = await this.sql<{ holder: string; detail: string }>(
          'select holder, detail from engine_heartbeat where profile_id = $1',
          [this.profileId],
        );
        const row = r[0];
        if (!row?.holder.includes(`:${pid}:`)) return undefined;
        const detail = typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail;
        return detail?.ready === true ? true : undefined;
      },
      timeoutMs,
      `${proc.name} ready`,
    );
  }

  /**
   * Starts an engine as soon as the profile lease is free (an engine started while another holds
   * it exits with code 3; this retries until one stays up) and waits until it is ready.
   */
  async startEngineWhenLeaseFree(
    name = 'engine',
    env: Record<string, string> = {},
    timeoutMs = 60_000,
  ): Promise<Proc> {
    const started = Date.now();
    for (;;) {
      await this.leaseExpired(Math.max(1_000, timeoutMs - (Date.now() - started)));
      const proc = this.startEngine(name, env);
      try {
        await this.engineReady(proc, Math.max(1_000, timeoutMs - (Date.now() - started)));
        return proc;
      } catch (error) {
        if ((await proc.exited) !== 3 || Date.now() - started > timeoutMs) throw error;
      }
    }
  }

  /** Starts `centaur api` (not waiting; see apiUp). */
  /** Starts an engine and the API and waits until both serve: the usual starting point. */
  async startAll(engineName = 'engine'): Promise<Proc> {
    const engine = this.startEngine(engineName);
    this.startApi();
    await this.engineReady(engine);
    await this.healthy();
    return engine;
  }

  startApi(env: Record<string, string> = {}): Proc {
    this.apiProc = this.group.start('api', ['api'], { ...this.env, ...this.o.apiEnv, ...env });
    return this.apiProc;
  }

  /** Waits until the API answers /health (any status: health is degraded without an engine). */
  async apiUp(timeoutMs = 60_000): Promise<void> {
    await this.eventually(
      async () => ((await this.api.get('/health', { timeoutMs: 2_000 })).status > 0 ? true : undefined),
      timeoutMs,
      'API up',
    );
  }

  /** Waits until /health says ok (database, bus, engine heartbeat and stream). */
  async healthy(timeoutMs = 60_000): Promise<void> {
    await this.eventually(
      async () => ((await this.api.get('/health', { timeoutMs: 2_000 })).status === 200 ? true : undefined),
      timeoutMs,
      'API healthy',
    );
  }

  signal(proc: Proc, signal: NodeJS.Signals): void {
    if (alive(proc)) proc.child.kill(signal);
  }

  /** SIGCONT + SIGTERM, then waits for the exit code. */
  async stop(proc: Proc): Promise<number | null> {
    this.signal(proc, 'SIGCONT');
    this.signal(proc, 'SIGTERM');
    return proc.exited;
  }

  /** Rows from the test database (SQL with $1.. parameters). */
  async sql<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
    return (await this.#pool.query(text, params)).rows as R[];
  }

  /** The lease row (`holder`, `expires_at`, and `token` once fencing exists), or null. */
  async lease(): Promise<Record<string, unknown> | null> {
    return (await this.sql('select * from engine_lease where profile_id = $1', [this.profileId]))[0] ?? null;
  }

  /** Waits until no unexpired lease exists, by the database server's clock. */
  async leaseExpired(timeoutMs = 30_000): Promise<void> {
    await this.eventually(
      async () => {
        const lease = await this.lease();
        if (lease === null || Number(lease.released ?? 0) === 1) return true;
        // Fencing (migration 0007) decides expiry on expires_at_ms; before it, on expires_at.
        const expiresMs =
          lease.expires_at_ms !== undefined
            ? Number(lease.expires_at_ms)
            : lease.expires_at instanceof Date
              ? lease.expires_at.getTime()
              : Date.parse(String(lease.expires_at));
        const [row] = await this.sql<{ now: string }>(
          'select floor(extract(epoch from clock_timestamp()) * 1000)::bigint as now',
        );
        return row && Number(row.now) > expiresMs ? true : undefined;
      },
      timeoutMs,
      'profile lease expired',
    );
  }

  /** POST /commands/draft until the verdict allows it (the engine must have priced the symbol). */
  async allowedDraft(intent: Record<string, unknown>, timeoutMs = 30_000): Promise<DraftView> {
    return this.eventually(
      async () => {
        const d = await this.api.post<DraftView>('/commands/draft', intent);
        return d.status === 201 && d.json?.verdict?.allowed === true ? d.json : undefined;
      },
      timeoutMs,
      `an allowed draft for ${JSON.stringify(intent)}`,
    );
  }

  async command(id: string): Promise<CommandView> {
    const r = await this.api.get<CommandView>(`/commands/${id}`);
    if (r.status !== 200) throw new Error(`GET /commands/${id}: ${r.status} ${r.text}`);
    return r.json;
  }

  /** Waits until the command has status `status` (or any of them). */
  async commandStatus(
    id: string,
    status: string | readonly string[],
    timeoutMs = 60_000,
  ): Promise<CommandView> {
    const wanted = typeof status === 'string' ? [status] : status;
    return this.eventually(
      async () => {
        const c = await this.command(id);
        return wanted.includes(c.status) ? c : undefined;
      },
      timeoutMs,
      `command ${id} ${wanted.join('|')}`,
    );
  }

  /** Waits until the command is terminal (succeeded, failed, rejected or expired). */
  terminal(id: string, timeoutMs = 60_000): Promise<CommandView> {
    return this.commandStatus(id, TERMINAL, timeoutMs);
  }

  /** The durable trading state (ACTIVE, REDUCING, HALTED) as the API reports it. */
  async tradingState(): Promise<string> {
    const r = await this.api.get<{ trading_state?: { state: string } }>('/state/profile');
    if (r.status !== 200 || !r.json.trading_state)
      throw new Error(`GET /state/profile: ${r.status} ${r.text}`);
    return r.json.trading_state.state;
  }

  /** pollUntil (test/support/processes.ts) with every process's log tail in the failure message. */
  eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
    return pollUntil(probe, { timeoutMs, what, context: () => this.logs() });
  }

  /** The tail of every process's output (for failure messages). */
  logs(tail = 3000): string {
    return this.group.logs(tail);
  }

  /** Stops every process (SIGCONT first), drops the database; never throws. */
  async down(): Promise<void> {
    const stopping = this.group.stopAll();
    const timedOut = await Promise.race([stopping.then(() => false), sleep(15_000).then(() => true)]);
    if (timedOut) this.group.killAll();
    await this.#pool.end().catch(() => {});
    if (!this.#created) return;
    const admin = new pg.Client({ connectionString: this.#admin, connectionTimeoutMillis: 5_000 });
    admin.on('error', () => {});
    try {
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`);
    } catch {
      // The test's Postgres may be gone (a stopped cluster): nothing left to drop there.
    } finally {
      await admin.end().catch(() => {});
    }
  }
}

/**
 * Registers `suite` when both Postgres and Redis are reachable, with the policy of serviceSuite:
 * mandatory (a failing test) under CI=true, skipped with a notice elsewhere.
 * Use with top-level await: `await clusterSuite(() => { ... })`.
 */
export async function clusterSuite(suite: () => void): Promise<void> {
  if (!(await serviceAvailable('postgres'))) return serviceSuite('postgres', suite);
  return serviceSuite('redis', suite);
}
