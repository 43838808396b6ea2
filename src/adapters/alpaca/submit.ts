/**
 * Order submission without blind retries: exactly one POST carrying the deterministic
 * client_order_id. When its outcome is unknown (network failure, timeout, 5xx after sending) the
 * order is looked up by client_order_id: found -> that order is the answer; not found (or the
 * lookup fails too) -> BrokerError('ambiguous'), and the caller leaves it to the trade stream and
 * reconciliation. A 422 "client_order_id must be unique" means an earlier attempt got through, so
 * the existing order is looked up and returned.
 * Must preserve: this function never sends the POST a second time, whatever happens.
 */
import type { Order } from '../../core/order.js';
import type { OrderRequest } from '../../core/order-request.js';
import { BrokerError } from '../../ports/broker.js';
import { isDuplicateClientOrderId, toBrokerError } from './alpaca-errors.js';

export interface SubmitSteps {
  /** Sends the POST once and maps the created order. */
  post(request: OrderRequest): Promise<Order>;
  /** GET /v2/orders:by_client_order_id; null when the broker does not know the id. */
  lookup(clientOrderId: string): Promise<Order | null>;
}

export async function submitOnce(steps: SubmitSteps, request: OrderRequest): Promise<Order> {
  try {
    return await steps.post(request);
  } catch (raw) {
    const err = toBrokerError(raw, { operation: 'submit order', mutation: true });
    if (err.code === 'ambiguous') return settleAmbiguous(steps, request.clientOrderId, err);
    if (isDuplicateClientOrderId(err))
      return (await lookupQuietly(steps, request.clientOrderId)) ?? throwErr(err);
    throw err;
  }
}

async function settleAmbiguous(
  steps: SubmitSteps,
  clientOrderId: string,
  cause: BrokerError,
): Promise<Order> {
  let lookupError = '';
  try {
    const found = await steps.lookup(clientOrderId);
    if (found) return found;
  } catch (err) {
    lookupError = `; the lookup failed too (${err instanceof Error ? err.message : String(err)})`;
  }
  throw new BrokerError(
    'ambiguous',
    `submit order ${clientOrderId}: outcome unknown (${cause.message})` +
      `${lookupError || '; no order with this client_order_id yet'}; ` +
      'left to the trade stream and reconciliation, not sent again',
    cause.details,
  );
}

async function lookupQuietly(steps: SubmitSteps, clientOrderId: string): Promise<Order | null> {
  try {
    return await steps.lookup(clientOrderId);
  } catch {
    return null;
  }
}

function throwErr(err: BrokerError): never {
  throw err;
}
