/**
 * Issue 13, item 3: the zombie engine, as found. Engine A claims a confirmed order and, inside its
 * pre-submit reads (the simulator holds GET /v2/account), is paused (SIGSTOP) past its lease. Engine
 * B takes the profile over and runs a kill switch: HALTED, flat. A is resumed (SIGCONT) with the
 * account answer waiting in its socket. Promised: A sends nothing to the broker (no order with its
 * client order id ever appears), stops by itself (non-zero exit), the broker stays flat, trading
 * stays HALTED, and the submit command ends terminal and not `succeeded`.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Cluster, clusterSuite, LEASE_TTL_MS, type Proc } from './harness.js';

/** A's pre-submit account read is answered this late: long after A is paused. */
const ACCOUNT_DELAY_MS = 8_000;

await clusterSuite(() => {
  const cluster = new Cluster();
  let a: Proc;

  beforeAll(async () => {
    await cluster.up();
    a = await cluster.startAll('engine-A');
  }, 120_000);

  afterAll(() => cluster.down(), 60_000);

  it('a paused-then-resumed former lease holder sends nothing to the broker', async () => {
    const draft = await cluster.allowedDraft({
      symbol: 'AAPL',
      side: 'buy',
      qty: '1',
      type: 'market',
      time_in_force: 'day',
    });
    const clientOrderId = `ctr-draft-${draft.id}`;
    const accountReads = async () => (await cluster.sim.stats()).requests['GET /v2/account'] ?? 0;
    await cluster.sim.faults({ rest_delay_ms: ACCOUNT_DELAY_MS, rest_delay_routes: ['GET /v2/account'] });
    const before = await accountReads();
    const confirm = await cluster.api.post<{ command: { id: string } }>('/commands/confirm', {
      draft_id: draft.id,
    });
    expect(confirm.status, confirm.text).toBe(202);
    const commandId = confirm.json.command.id;
    // A claimed the command and its account read is being held at the simulator: pause A now.
    await cluster.eventually(
      async () =>
        (await cluster.command(commandId)).status === 'running' && (await accountReads()) > before
          ? true
          : undefined,
      ACCOUNT_DELAY_MS / 2,
      'submit command running with an account read held',
    );
    cluster.signal(a, 'SIGSTOP');
    expect(
      await cluster.sim.ordersByClientId(clientOrderId),
      'A reached the broker before it was paused: the held account read did not stop it',
    ).toEqual([]);

    // Past A's lease (10 s after its last renewal, by the database's clock), B takes over.
    await cluster.leaseExpired(LEASE_TTL_MS + 10_000);
    await cluster.sim.faults({});
    const b = cluster.startEngine('engine-B');
    await cluster.engineReady(b);
    const kill = await cluster.api.post<{ command: { id: string } }>('/commands/kill-switch', {
      confirm_token: 'paper',
      reason: 'chaos: zombie engine',
    });
    expect(kill.status, kill.text).toBe(202);
    const killed = await cluster.terminal(kill.json.command.id, 30_000);
    expect(killed.status, JSON.stringify(killed.error)).toBe('succeeded');
    expect(killed.result?.flat).toBe(true);
    expect(await cluster.tradingState()).toBe('HALTED');
    const placedBefore = (await cluster.sim.stats()).requests['POST /v2/orders'] ?? 0;

    // A resumes with its account answer already in its socket.
    cluster.signal(a, 'SIGCONT');
    const exitCode = await Promise.race([
      a.exited,
      new Promise<'running'>((r) => setTimeout(() => r('running'), 20_000)),
    ]);
    const submit = await cluster.terminal(commandId, 60_000);
    const [orders, positions, open, stats, state] = await Promise.all([
      cluster.sim.ordersByClientId(clientOrderId),
      cluster.sim.positions(),
      cluster.sim.openOrders(),
      cluster.sim.stats(),
      cluster.tradingState(),
    ]);
    const violations: string[] = [];
    if (orders.length > 0) {
      violations.push(
        `A's order reached the broker after B's kill switch: ${orders.map((o) => `${o.symbol} ${o.status}`).join(', ')}`,
      );
    }
    const placedAfter = stats.requests['POST /v2/orders'] ?? 0;
    if (placedAfter !== placedBefore) {
      violations.push(
        `${placedAfter - placedBefore} order submission(s) reached the broker after the kill switch`,
      );
    }
    if (exitCode === 'running') violations.push('A still runs 20 s after it was resumed');
    else if (exitCode === 0 || exitCode === null)
      violations.push(`A exited with ${exitCode}, not an error code`);
    if (positions.length > 0 || open.length > 0) {
      violations.push(
        `broker not flat: positions ${positions.map((p) => `${p.symbol} ${p.qty}`).join(', ')}; ${open.length} open orders`,
      );
    }
    if (state !== 'HALTED') violations.push(`trading state ${state}, not HALTED`);
    if (submit.status === 'succeeded') {
      violations.push(`the submit command succeeded: ${JSON.stringify(submit.result)}`);
    }
    expect(violations, cluster.logs()).toEqual([]);
  }, 150_000);
});
