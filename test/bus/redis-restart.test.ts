/**
 * Redis restarted without its data while a consumer runs: the consumer recreates the stream and
 * its group on NOGROUP and receives what is published afterwards; publishing and `healthy()`
 * follow Redis down and back up. Runs on a private redis-server child (never the shared one).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCommandBus } from '../../src/adapters/bus/redis-command-bus.js';
import type { CommandEnvelope } from '../../src/ports/command-bus.js';
import { freePort } from '../support/processes.js';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer) console.warn('redis-server not installed: Redis restart suite skipped');

/** A redis-server child without persistence; resolves once it accepts connections. */
function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      if (out.includes('Ready to accept connections')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
  });
}

function killRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function until(predicate: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const envelope = (profileId: string): CommandEnvelope => ({
  commandId: randomUUID(),
  profileId,
  type: 'kill_switch',
  enqueuedAt: new Date().toISOString(),
});

// Skipped only outside CI on a machine without the redis-server binary (it starts its own server);
// under CI=true a missing binary fails the run instead.
if (!hasRedisServer && process.env.CI === 'true')
  throw new Error('redis-server is not installed; CI must run this suite');
describe.skipIf(!hasRedisServer)('Redis command bus across a Redis restart without data', () => {
  let port: number;
  let redis: ChildProcess | undefined;
  let bus: RedisCommandBus;
  const errors: unknown[] = [];

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    bus = new RedisCommandBus({
      url: `redis://127.0.0.1:${port}`,
      queueName: 'centaur-restart-test',
      blockMs: 100,
      claimIdleMs: 1_000,
      onError: (e) => errors.push(e),
    });
  });

  afterAll(async () => {
    await bus?.close();
    if (redis) await killRedis(redis);
  });

  it('keeps delivering after Redis comes back empty, and health follows Redis', async () => {
    const got: string[] = [];
    bus.consume('p1', 'engine-1', async (d) => {
      got.push(d.envelope.commandId);
    });
    const first = envelope('p1');
    await bus.publish(first);
    await until(() => got.includes(first.commandId));
    expect(await bus.healthy()).toBe(true);

    // Redis dies and comes back without any data: no stream, no group.
    if (redis) await killRedis(redis);
    await until(async () => !(await bus.healthy()));
    await expect(bus.publish(envelope('p1'))).rejects.toThrow();
    redis = await startRedis(port);

    await until(() => bus.healthy(), 15_000);
    const second = envelope('p1');
    await bus.publish(second);
    await until(() => got.includes(second.commandId), 15_000);
    const third = envelope('p1');
    await bus.publish(third);
    await until(() => got.includes(third.commandId));
    expect(got).toEqual([first.commandId, second.commandId, third.commandId]);
    expect(await bus.healthy()).toBe(true);
  });
});
