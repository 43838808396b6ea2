/**
 * REST routes for orders: submit, list, get (by id and by client order id), replace, cancel one,
 * cancel all.
 * Must preserve: the literal-colon path `/v2/orders:by_client_order_id`; 204 with an empty body
 * for a cancel; 207 for cancel-all; 422 `order_id is missing` for a malformed id.
 */
import type { FastifyInstance } from 'fastify';
import type { SimBroker } from './broker.js';
import { simErrors } from './errors.js';
import type { ListFilter } from './order-book.js';
import { orderToWire, type SimOrder } from './order-model.js';
import { bool, first, instant, int, list, oneOf, type Query } from './query.js';
import type { SimContext } from './sim-context.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function orderId(params: unknown): string {
  const id = (params as Record<string, string>).order_id ?? '';
  if (!UUID.test(id)) throw simErrors.invalid('order_id is missing');
  return id;
}

/** The order on the wire, with its legs rolled up when `nested` is asked for. */
export function wireWithLegs(broker: SimBroker, order: SimOrder, nested: boolean): Record<string, unknown> {
  if (!nested || order.legIds.length === 0) return orderToWire(order);
  const legs = order.legIds.flatMap((id) => {
    const leg = broker.state.book.get(id);
    return leg ? [orderToWire(leg)] : [];
  });
  return orderToWire(order, legs);
}

function listFilter(q: Query): ListFilter {
  const afterOrderId = first(q, 'after_order_id') ?? null;
  const beforeOrderId = first(q, 'before_order_id') ?? null;
  if (afterOrderId && beforeOrderId)
    throw simErrors.invalid('after_order_id and before_order_id are mutually exclusive');
  const symbols = list(q, 'symbols');
  const classes = list(q, 'asset_class');
  if (classes && !classes.some((c) => c === 'us_equity' || c === 'all')) {
    return { ...baseFilter(q, afterOrderId, beforeOrderId, symbols), limit: 0 };
  }
  return baseFilter(q, afterOrderId, beforeOrderId, symbols);
}

function baseFilter(
  q: Query,
  afterOrderId: string | null,
  beforeOrderId: string | null,
  symbols: string[] | null,
): ListFilter {
  const side = first(q, 'side');
  if (side !== undefined && side !== 'buy' && side !== 'sell')
    throw simErrors.invalid(`invalid side: ${side}`);
  return {
    status: oneOf(q, 'status', ['open', 'closed', 'all'] as const, 'open'),
    limit: int(q, 'limit', 50, 1, 500),
    after: instant(q, 'after'),
    until: instant(q, 'until'),
    direction: oneOf(q, 'direction', ['asc', 'desc'] as const, 'desc'),
    symbols: symbols ? new Set(symbols) : null,
    side: (side as 'buy' | 'sell' | undefined) ?? null,
    nested: bool(q, 'nested', false),
    afterOrderId,
    beforeOrderId,
  };
}

export function registerOrderRoutes(app: FastifyInstance, ctx: SimContext): void {
  const broker = ctx.broker;
  app.post('/v2/orders', async (req) => {
    const wire = wireWithLegs(broker, broker.submit(req.body), true);
    // Fault: accepted now (every read sees it), answered later with the order as it was accepted.
    const delay = ctx.faults.order_response_delay_ms;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    return wire;
  });
  app.get('/v2/orders', async (req) => {
    const filter = listFilter(req.query as Query);
    for (const id of [filter.afterOrderId, filter.beforeOrderId]) {
      if (id && !broker.state.book.get(id)) throw simErrors.invalid(`order ${id} not found`);
    }
    return broker.state.book.list(filter).map((o) => wireWithLegs(broker, o, filter.nested));
  });
  app.get('/v2/orders::by_client_order_id', async (req) => {
    const q = req.query as Query;
    const clientOrderId = first(q, 'client_order_id');
    if (clientOrderId === undefined) throw simErrors.invalid('client_order_id is required');
    const order = broker.state.book.byClientOrderId(clientOrderId);
    if (!order) throw simErrors.orderNotFound();
    return wireWithLegs(broker, order, bool(q, 'nested', false));
  });
  app.get('/v2/orders/:order_id', async (req) => {
    const order = broker.getOrder(orderId(req.params));
    return wireWithLegs(broker, order, bool(req.query as Query, 'nested', false));
  });
  app.patch('/v2/orders/:order_id', async (req) =>
    orderToWire(broker.replace(orderId(req.params), req.body)),
  );
  app.delete('/v2/orders/:order_id', async (req, reply) => {
    broker.cancel(orderId(req.params));
    return reply.code(204).send();
  });
  app.delete('/v2/orders', async (_req, reply) => reply.code(207).send(broker.cancelAll()));
}
