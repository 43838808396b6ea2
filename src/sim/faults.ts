/**
 * Injected faults for resilience tests (POST /_sim/faults): random REST errors, REST delay,
 * refused stream upgrades for a while, dropped, duplicated or delayed trade events, an error frame
 * then close on every stream, pending windows for cancels and replaces (races), and failing
 * position closes (per symbol inside a close-all 207, as Alpaca reports "failed to liquidate"),
 * a REST delay narrowed to some routes, and a late answer to an order the broker already accepted.
 * Must preserve: an empty object clears every fault; unknown keys and out-of-range values are
 * rejected with 422 rather than silently ignored.
 */
import { simErrors } from './errors.js';

export interface FaultSettings {
  rest_error_rate: number;
  rest_error_status: number;
  rest_delay_ms: number;
  /**
   * When not empty, rest_delay_ms applies only to these routes, each "METHOD /route/pattern" as
   * in /_sim/stats (e.g. "GET /v2/account").
   */
  rest_delay_routes: string[];
  /**
   * POST /v2/orders: the order is accepted (in the book and visible to every read at once) and
   * the answer is sent this much later, as when the response is lost on the way to the client.
   */
  order_response_delay_ms: number;
  refuse_stream_ms: number;
  drop_events: string[];
  drop_event_rate: number;
  duplicate_event_rate: number;
  /** Every trade_updates event reaches clients this much later (order kept). */
  delay_events_ms: number;
  /** Sends `{"action":"error",...}` to every open stream, then closes it (once, when set). */
  error_then_close: boolean;
  /** Cancels stay pending_cancel this long (a fill can race them); overrides the option when > 0. */
  cancel_delay_ms: number;
  /** Replaces stay pending_replace this long; overrides the option when > 0. */
  replace_delay_ms: number;
  /** Share of position closes (close one, or each symbol of close all) that fail with a 500. */
  close_error_rate: number;
}

export function noFaults(): FaultSettings {
  return {
    rest_error_rate: 0,
    rest_error_status: 500,
    rest_delay_ms: 0,
    rest_delay_routes: [],
    order_response_delay_ms: 0,
    refuse_stream_ms: 0,
    drop_events: [],
    drop_event_rate: 0,
    duplicate_event_rate: 0,
    delay_events_ms: 0,
    error_then_close: false,
    cancel_delay_ms: 0,
    replace_delay_ms: 0,
    close_error_rate: 0,
  };
}

function num(body: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw simErrors.invalid(`${key} must be a number between ${min} and ${max}`);
  }
  return v;
}

const KEYS = new Set(Object.keys(noFaults()));
const ROUTE = /^(GET|POST|PATCH|PUT|DELETE) \/\S*$/;

/** Whether a request to `route` ("METHOD /route/pattern") waits rest_delay_ms. */
export function restDelayed(f: FaultSettings, route: string): boolean {
  return f.rest_delay_ms > 0 && (f.rest_delay_routes.length === 0 || f.rest_delay_routes.includes(route));
}

export function parseFaults(raw: unknown): FaultSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw simErrors.malformedBody();
  const body = raw as Record<string, unknown>;
  for (const key of Object.keys(body)) if (!KEYS.has(key)) throw simErrors.invalid(`unknown fault ${key}`);
  const f = noFaults();
  f.rest_error_rate = num(body, 'rest_error_rate', 0, 1) ?? 0;
  f.rest_error_status = num(body, 'rest_error_status', 400, 599) ?? 500;
  f.rest_delay_ms = num(body, 'rest_delay_ms', 0, 60_000) ?? 0;
  f.order_response_delay_ms = num(body, 'order_response_delay_ms', 0, 60_000) ?? 0;
  f.refuse_stream_ms = num(body, 'refuse_stream_ms', 0, 3_600_000) ?? 0;
  f.drop_event_rate = num(body, 'drop_event_rate', 0, 1) ?? 0;
  f.duplicate_event_rate = num(body, 'duplicate_event_rate', 0, 1) ?? 0;
  f.delay_events_ms = num(body, 'delay_events_ms', 0, 60_000) ?? 0;
  f.cancel_delay_ms = num(body, 'cancel_delay_ms', 0, 60_000) ?? 0;
  f.replace_delay_ms = num(body, 'replace_delay_ms', 0, 60_000) ?? 0;
  f.close_error_rate = num(body, 'close_error_rate', 0, 1) ?? 0;
  const errorThenClose = body.error_then_close;
  if (errorThenClose !== undefined && typeof errorThenClose !== 'boolean') {
    throw simErrors.invalid('error_then_close must be a boolean');
  }
  f.error_then_close = errorThenClose === true;
  const routes = body.rest_delay_routes;
  if (routes !== undefined) {
    if (!Array.isArray(routes) || routes.some((r) => typeof r !== 'string' || !ROUTE.test(r))) {
      throw simErrors.invalid('rest_delay_routes must be a list of "METHOD /path" strings');
    }
    f.rest_delay_routes = routes as string[];
  }
  const drop = body.drop_events;
  if (drop !== undefined) {
    if (!Array.isArray(drop) || drop.some((e) => typeof e !== 'string')) {
      throw simErrors.invalid('drop_events must be a list of event names');
    }
    f.drop_events = drop as string[];
  }
  return f;
}
