/**
 * Throwaway infrastructure for the chaos suites, so faults never touch the shared services on
 * 5432 and 6379: a `redis-server` child on a free port that can be killed and restarted EMPTY (no
 * RDB, no AOF: a restart loses every stream and group), and a private Postgres cluster (initdb +
 * pg_ctl in a temp dir, trust auth, loopback only) that can be stopped (`-m fast`) and started
 * again. Both clean up after themselves (call `destroy()` from afterAll; an exit hook also stops a
 * cluster left running). Run as root, the Postgres tools run as the `postgres` user.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, pollUntil } from '../support/processes.js';
import { postgresAccepts, type ServiceName, serviceAvailable, serviceSuite } from '../support/services.js';

/**
 * serviceSuite for several services: registers `suite` when all are reachable, else lets
 * serviceSuite register the failing (CI=true) or skipped test for the first one missing.
 */
export async function servicesSuite(names: ServiceName[], suite: () => void): Promise<void> {
  for (const name of names) {
    if (!(await serviceAvailable(name))) return serviceSuite(name, suite);
  }
  suite();
}

/** Waits until `probe` is true (pollUntil); throws `what` after `timeoutMs`. */
export async function until(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  await pollUntil(async () => ((await probe()) ? true : undefined), { timeoutMs, what });
}

/** Sends one command to Redis on 127.0.0.1:port and returns the first reply line (RESP, raw). */
export function redisCommand(port: number, args: string[], timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const wire = `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
    let reply = '';
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`redis on ${port} did not answer ${args[0]}`));
    });
    socket.on('error', reject);
    socket.on('connect', () => socket.write(wire));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.split('\r\n')[0] ?? '');
      }
    });
  });
}

/** A redis-server child without persistence: kill it and it comes back empty. */
export class RedisServer {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private log = '';

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  output(): string {
    return this.log.slice(-2000);
  }

  /** Starts (or restarts) the server on the same port and waits for PONG. */
  async start(): Promise<void> {
    if (this.running()) return;
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child = spawn('redis-server', [...args, '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => {
      this.log += d;
    });
    child.stderr?.on('data', (d) => {
      this.log += d;
    });
    this.exited = new Promise((r) => child.once('exit', () => r()));
    this.child = child;
    await until(async () => (await redisCommand(this.port, ['PING'])) === '+PONG', 10_000, 'redis up');
  }

  running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL (a crash: nothing is saved) and wait for the exit. */
  async kill(): Promise<void> {
    if (this.running()) this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** Kill, start again, and prove the new server holds no keys at all. */
  async restartEmpty(): Promise<void> {
    await this.kill();
    await this.start();
    const size = await redisCommand(this.port, ['DBSIZE']);
    if (size !== ':0') throw new Error(`redis restarted with data (DBSIZE ${size})`);
  }

  async destroy(): Promise<void> {
    await this.kill();
  }
}

/** The directory holding initdb/pg_ctl: on PATH, else the newest /usr/lib/postgresql/<v>/bin. */
function postgresBin(): string {
  const found = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found.replace(/\/initdb$/, '');
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions[0] === undefined) throw new Error('no Postgres server binaries (initdb) on this machine');
  return join(root, versions[0], 'bin');
}

const asRoot = process.getuid?.() === 0;

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('no postgres user to run initdb as');
  return { uid, gid };
}

/** A private Postgres cluster in a temp dir, on its own port: stop it, start it, destroy it. */
export class PostgresCluster {
  private readonly bin = postgresBin();
  private destroyed = false;
  private readonly onExit = () => this.tool(['stop', '-D', this.dataDir, '-m', 'immediate']);

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** initdb (trust auth, superuser `postgres`) and start on a free loopback port. */
  static async create(): Promise<PostgresCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'centaur-chaos-pg-'));
    if (asRoot) {
      const { uid, gid } = postgresIds();
      chownSync(dir, uid, gid);
    }
    const cluster = new PostgresCluster(dir, await freePort());
    const init = cluster.run('initdb', [
      '-D',
      cluster.dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
    ]);
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
    process.once('exit', cluster.onExit);
    await cluster.start();
    return cluster;
  }

  private run(tool: string, args: string[]): { status: number | null; stderr: string; stdout: string } {
    const path = join(this.bin, tool);
    const r = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', path, ...args], { encoding: 'utf8', cwd: this.dir })
      : spawnSync(path, args, { encoding: 'utf8', cwd: this.dir });
    return { status: r.status, stderr: `${r.stderr}${r.stdout}`, stdout: r.stdout };
  }

  private tool(args: string[]): { status: number | null; stderr: string } {
    return this.run('pg_ctl', args);
  }

  /** The URL of `database` on this cluster. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server (waits until it accepts connections). */
  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    const r = this.tool([
      'start',
      '-w',
      '-D',
      this.dataDir,
      '-l',
      join(this.dir, 'server.log'),
      '-o',
      options,
    ]);
    if (r.status !== 0) throw new Error(`pg_ctl start failed: ${r.stderr}`);
    await until(() => this.accepting(), 20_000, 'private postgres accepting connections');
  }

  /** `pg_ctl stop -m fast`: every session is terminated, the server is gone until start(). */
  async stop(): Promise<void> {
    const r = this.tool(['stop', '-w', '-D', this.dataDir, '-m', 'fast']);
    if (r.status !== 0) throw new Error(`pg_ctl stop failed: ${r.stderr}`);
  }

  /** True when `select 1` succeeds. */
  accepting(): Promise<boolean> {
    return postgresAccepts(this.url(), 1000);
  }

  async createDatabase(name: string): Promise<string> {
    const client = new pg.Client({ connectionString: this.url() });
    client.on('error', () => {});
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  /** Stops the server immediately and removes its directory. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.tool(['stop', '-w', '-D', this.dataDir, '-m', 'immediate']);
    process.off('exit', this.onExit);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
