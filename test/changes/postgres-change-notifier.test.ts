/**
 * The Postgres LISTEN/NOTIFY change channel on the machine's Postgres: the channel contract
 * between two notifiers (two processes' connections), then reconnects: a terminated listening
 * backend LISTENs again by itself and asks for a resync; a change announced on a terminated
 * backend is held and sent once the connection is back. Each test uses its own channel name.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { PostgresChangeNotifier } from '../../src/adapters/changes/postgres-change-notifier.js';
import { describeIfPostgres, postgresUrl } from '../support/services.js';
import { changeNotifierContract } from './change-notifier-contract.js';
import { Recorder } from './recorder.js';

const unique = () => randomUUID().replaceAll('-', '').slice(0, 12);

function notifier(channel: string, applicationName: string): PostgresChangeNotifier {
  return new PostgresChangeNotifier({
    url: postgresUrl(),
    channel,
    applicationName,
    reconnectBaseMs: 20,
    reconnectCapMs: 200,
  });
}

/** Terminates the backends of one application name; returns how many. */
async function terminate(applicationName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: postgresUrl() });
  await admin.connect();
  try {
    const r = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    return r.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

await describeIfPostgres('Postgres LISTEN/NOTIFY change channel', () => {
  changeNotifierContract(
    async () => {
      const channel = `centaur_changes_t${unique()}`;
      const announcer = notifier(channel, `centaur-test-announcer-${unique()}`);
      const listener = notifier(channel, `centaur-test-listener-${unique()}`);
      return {
        announcer,
        listener,
        close: async () => {
          await announcer.close();
          await listener.close();
        },
      };
    },
    (recorder) => recorder.resynced(1),
  );

  const open: PostgresChangeNotifier[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((n) => n.close()));
  });

  it('LISTENs again after its backend is terminated, and asks for a resync', async () => {
    const channel = `centaur_changes_t${unique()}`;
    const listenerName = `centaur-test-listener-${unique()}`;
    const announcer = notifier(channel, `centaur-test-announcer-${unique()}`);
    const listener = notifier(channel, listenerName);
    open.push(announcer, listener);
    const recorder = new Recorder();
    listener.subscribe('p1', recorder);
    await recorder.resynced(1);
    expect(await terminate(listenerName)).toBe(1);
    await recorder.resynced(2); // connected and listening again: notifications may have been missed
    announcer.announce({ profileId: 'p1', kind: 'orders', ids: ['after-reconnect'] });
    await recorder.heardChange('orders', 'after-reconnect');
  });

  it('holds a change announced on a terminated backend and sends it once reconnected', async () => {
    const channel = `centaur_changes_t${unique()}`;
    const announcerName = `centaur-test-announcer-${unique()}`;
    const announcer = notifier(channel, announcerName);
    const listener = notifier(channel, `centaur-test-listener-${unique()}`);
    open.push(announcer, listener);
    const recorder = new Recorder();
    listener.subscribe('p1', recorder);
    await recorder.resynced(1);
    announcer.announce({ profileId: 'p1', kind: 'fills', ids: ['first'] });
    await recorder.heardChange('fills', 'first');
    expect(await terminate(announcerName)).toBe(1);
    announcer.announce({ profileId: 'p1', kind: 'fills', ids: ['second'] });
    announcer.announce({ profileId: 'p1', kind: 'fills', ids: ['third'] });
    await recorder.heardChange('fills', 'second');
    await recorder.heardChange('fills', 'third');
  });

  it('ignores payloads that are not changes', async () => {
    const channel = `centaur_changes_t${unique()}`;
    const listener = notifier(channel, `centaur-test-listener-${unique()}`);
    open.push(listener);
    const recorder = new Recorder();
    listener.subscribe('p1', recorder);
    await recorder.resynced(1);
    const other = new pg.Client({ connectionString: postgresUrl() });
    await other.connect();
    try {
      await other.query('SELECT pg_notify($1, $2)', [channel, 'not json']);
      await other.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify({ v: 1, p: 'p1', k: 'nope' })]);
      await other.query('SELECT pg_notify($1, $2)', [
        channel,
        JSON.stringify({ v: 1, p: 'p1', k: 'account' }),
      ]);
    } finally {
      await other.end();
    }
    // Notifications arrive in order: once the valid one is heard, the two before it were dropped.
    await recorder.next((h) => h.type === 'change' && h.change.kind === 'account');
    expect(recorder.changes).toEqual([{ profileId: 'p1', kind: 'account' }]);
  });
});
