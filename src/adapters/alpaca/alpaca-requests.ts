/**
 * Domain -> SDK request shapes: an OrderRequest becomes the generated `PostOrderRequest` (the
 * SDK writes it as snake_case JSON). Amounts stay decimal strings end to end.
 * Must preserve: the deterministic client order id is always sent, so the broker recognises a
 * second attempt and a lost answer can be settled by looking the order up.
 */
import type { trading } from '@alpacahq/alpaca-trade-api';
import type { OrderRequest } from '../../core/order-request.js';

function pricing(request: OrderRequest): Partial<trading.PostOrderRequest> {
  switch (request.type) {
    case 'market':
      return {};
    case 'limit':
      return { limitPrice: request.limitPrice };
    case 'stop':
      return { stopPrice: request.stopPrice };
    case 'stop_limit':
      return { stopPrice: request.stopPrice, limitPrice: request.limitPrice };
    case 'trailing_stop':
      return request.trailPrice !== undefined
        ? { trailPrice: request.trailPrice }
        : { trailPercent: request.trailPercent };
  }
}

export function toPostOrderRequest(request: OrderRequest): trading.PostOrderRequest {
  return {
    symbol: request.symbol,
    side: request.side,
    type: request.type,
    timeInForce: request.timeInForce,
    clientOrderId: request.clientOrderId,
    ...(request.qty !== undefined ? { qty: request.qty } : { notional: request.notional }),
    ...(request.extendedHours ? { extendedHours: true } : {}),
    ...pricing(request),
  };
}
