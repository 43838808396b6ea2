/**
 * A private PostgreSQL cluster for fault tests: initdb into a temp directory, started and
 * stopped with pg_ctl on a free port (trust auth, loopback only). The machine's shared cluster
 * on 5432 is never touched. As root, the server runs as the `postgres` user (initdb refuses
 * root); otherwise as the current user.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../support/processes.js';

const run = promisify(execFile);

/** The bin directory of the newest installed PostgreSQL, or null when none is installed. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(root, versions[0], 'bin');
}

export interface OwnPostgres {
  readonly port: number;
  readonly url: string;
  start(): Promise<void>;
  /** Fast shutdown: sessions are terminated (57P01) and the server stops. */
  stop(): Promise<void>;
  /** Stops the server (if running) and deletes its directory. */
  destroy(): Promise<void>;
}

export async function createOwnPostgres(): Promise<OwnPostgres> {
  const bin = postgresBin();
  if (bin === null) throw new Error('no PostgreSQL installation under /usr/lib/postgresql');
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync('/tmp/centaur-own-pg-');
  const data = join(dir, 'data');
  if (asRoot) {
    const pgUser = await run('id', ['-u', 'postgres']);
    const pgGroup = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(pgUser.stdout.trim()), Number(pgGroup.stdout.trim()));
  }
  chmodSync(dir, 0o700);
  const as = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);
  await as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  let running = false;
  const own: OwnPostgres = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
      await as('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']);
      running = true;
    },
    async stop() {
      await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
    async destroy() {
      if (running) await own.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return own;
}
