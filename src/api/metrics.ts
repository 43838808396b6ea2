/**
 * Prometheus metrics at GET /metrics. The API's own counters (HTTP requests, risk denials of
 * drafts) live in this process; commands by type and status are counted in the database at
 * scrape time, and so are kill switch durations and the engine's order rejections by code; the
 * engine's live numbers (stream reconnects, event lag, sync durations, broker REST calls and
 * 429s) come from its heartbeat, so one scrape of the API shows the whole profile even when the
 * engine runs in another process. The heartbeat's age is measured on the store's clock.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Registry } from 'prom-client';
import { timestampMs } from '../core/time.js';
import type { Heartbeat, Store } from '../ports/store.js';

export interface ApiMetrics {
  readonly registry: Registry;
  denial(code: string): void;
}

/** Engine numbers as the heartbeat carries them in `detail.metrics` (all optional). */
interface EngineMetrics {
  syncDurationMsSum?: number;
  syncCount?: number;
  brokerRestCalls?: number;
  brokerRateLimited?: number;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function engineGauges(registry: Registry, store: Store, profileId: string) {
  const read = () => store.heartbeats.read(profileId);
  const gauge = (name: string, help: string, pick: (hb: Heartbeat, m: EngineMetrics) => number | null) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const hb = await read();
        const value = hb === null ? null : pick(hb, (hb.detail.metrics ?? {}) as EngineMetrics);
        if (value === null) this.reset();
        else this.set(value);
      },
    });
  new Gauge({
    name: 'centaur_engine_heartbeat_age_seconds',
    help: "seconds since the engine last wrote its heartbeat (by the store's clock)",
    registers: [registry],
    async collect() {
      const [hb, now] = await Promise.all([read(), store.now()]);
      if (hb === null) this.reset();
      else this.set(Math.max(0, (timestampMs(now) - timestampMs(hb.at)) / 1000));
    },
  });
  gauge('centaur_engine_stream_reconnects_total', 'trade stream reconnects since the engine started', (hb) =>
    num(hb.detail.reconnects),
  );
  gauge(
    'centaur_engine_events_persisted_total',
    'trade_updates events persisted since the engine started',
    (hb) => num(hb.detail.eventsPersisted),
  );
  gauge('centaur_engine_event_lag_ms', 'broker event time to persistence, last event', (hb) => hb.lagMs);
  gauge('centaur_engine_sync_duration_ms_sum', 'total time spent in REST syncs', (_hb, m) =>
    num(m.syncDurationMsSum),
  );
  gauge('centaur_engine_sync_total', 'REST syncs run', (_hb, m) => num(m.syncCount));
  gauge('centaur_broker_rest_calls_total', 'broker REST calls made by the engine', (_hb, m) =>
    num(m.brokerRestCalls),
  );
  gauge('centaur_broker_rate_limited_total', 'broker REST answers 429', (_hb, m) => num(m.brokerRateLimited));
}

/** Kill switch durations and the engine's order rejections, read from the command log. */
function commandGauges(registry: Registry, store: Store, profileId: string) {
  new Gauge({
    name: 'centaur_kill_switch_duration_ms_last',
    help: 'duration of the last finished kill switch, from its start to broker-verified flat',
    registers: [registry],
    async collect() {
      const [last] = await store.commands.list(profileId, {
        type: 'kill_switch',
        status: 'succeeded',
        limit: 1,
      });
      const duration = num(last?.result?.duration_ms);
      if (duration === null) this.reset();
      else this.set(duration);
    },
  });
  new Gauge({
    name: 'centaur_engine_order_rejections',
    help: 'order commands the engine rejected (its risk check or the broker), by code, over the last 1000',
    labelNames: ['code'],
    registers: [registry],
    async collect() {
      this.reset();
      const rejected = await store.commands.list(profileId, {
        type: 'submit_order',
        status: 'rejected',
        limit: 1000,
      });
      const counts = new Map<string, number>();
      for (const c of rejected) {
        for (const code of (c.error?.code ?? 'unknown').split(','))
          counts.set(code, (counts.get(code) ?? 0) + 1);
      }
      for (const [code, count] of counts) this.set({ code }, count);
    },
  });
}

export function createApiMetrics(store: Store, profileId: string): ApiMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ profile: profileId });
  const denials = new Counter({
    name: 'centaur_api_risk_denials_total',
    help: 'draft risk denials by code',
    labelNames: ['code'],
    registers: [registry],
  });
  new Gauge({
    name: 'centaur_commands',
    help: 'commands in the database by type and status',
    labelNames: ['type', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const c of await store.commands.counts(profileId))
        this.set({ type: c.type, status: c.status }, c.count);
    },
  });
  engineGauges(registry, store, profileId);
  commandGauges(registry, store, profileId);
  return { registry, denial: (code) => denials.inc({ code }) };
}

export function registerMetricsRoute(app: FastifyInstance, metrics: ApiMetrics): void {
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
