/** Domain values for the store contract tests, with overridable fields. */
import { randomUUID } from 'node:crypto';
import type { AuditEventInput } from '../../src/core/audit.js';
import type { Command } from '../../src/core/command.js';
import { type Draft, draftContentHash } from '../../src/core/draft.js';
import type { Fill } from '../../src/core/fill.js';
import type { Order } from '../../src/core/order.js';
import type { OrderIntent } from '../../src/core/order-request.js';
import type { AccountSnapshot, Position } from '../../src/core/position.js';

export const T0 = '2026-08-03T13:30:00Z';

/** T0 plus `seconds` (fractional seconds allowed), as RFC 3339 with millisecond digits. */
export function at(seconds: number): string {
  return new Date(Date.parse(T0) + seconds * 1000).toISOString();
}

export function makeOrder(overrides: Partial<Order> = {}): Order {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    clientOrderId: `ctr-${id}`,
    symbol: 'AAPL',
    assetClass: 'us_equity',
    side: 'buy',
    type: 'limit',
    timeInForce: 'day',
    orderClass: 'simple',
    qty: '10',
    notional: null,
    filledQty: '0',
    filledAvgPrice: null,
    limitPrice: '187.25',
    stopPrice: null,
    trailPrice: null,
    trailPercent: null,
    extendedHours: false,
    status: 'new',
    createdAt: T0,
    updatedAt: T0,
    submittedAt: T0,
    filledAt: null,
    canceledAt: null,
    expiredAt: null,
    failedAt: null,
    replacedAt: null,
    replacedBy: null,
    replaces: null,
    ...overrides,
  };
}

export function makeFill(overrides: Partial<Fill> = {}): Fill {
  return {
    executionId: randomUUID(),
    orderId: randomUUID(),
    clientOrderId: null,
    symbol: 'AAPL',
    side: 'buy',
    qty: '5',
    price: '187.1',
    at: T0,
    positionQty: '5',
    source: 'stream',
    ...overrides,
  };
}

export function makePosition(overrides: Partial<Position> = {}): Position {
  return {
    symbol: 'AAPL',
    assetId: 'asset-aapl',
    qty: '10',
    side: 'long',
    avgEntryPrice: '100',
    costBasis: '1000',
    currentPrice: '110',
    lastdayPrice: '105',
    marketValue: '1100',
    unrealizedPl: '100',
    unrealizedPlpc: '0.1',
    unrealizedIntradayPl: '50',
    asOf: T0,
    provenance: 'rest',
    ...overrides,
  };
}

export function makeSnapshot(overrides: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    at: T0,
    status: 'ACTIVE',
    currency: 'USD',
    cash: '10000.01',
    equity: '100000.123456789',
    lastEquity: '99000',
    buyingPower: '200000',
    longMarketValue: '90000',
    shortMarketValue: '0',
    multiplier: '2',
    shortingEnabled: true,
    tradingBlocked: false,
    accountBlocked: false,
    tradeSuspendedByUser: false,
    source: 'sync',
    ...overrides,
  };
}

export function makeCommand(profileId: string, overrides: Partial<Command> = {}): Command {
  return {
    id: randomUUID(),
    profileId,
    type: 'submit_order',
    payload: { draftId: 'd-1', nested: { qty: '1.5' } },
    actor: 'alice',
    idempotencyKey: null,
    correlationId: randomUUID(),
    status: 'queued',
    result: null,
    error: null,
    attempts: 0,
    createdAt: T0,
    updatedAt: T0,
    startedAt: null,
    finishedAt: null,
    expiresAt: null,
    ...overrides,
  };
}

export const INTENT: OrderIntent = {
  symbol: 'AAPL',
  side: 'buy',
  timeInForce: 'day',
  extendedHours: false,
  qty: '3',
  type: 'limit',
  limitPrice: '180.5',
};

export function makeDraft(profileId: string, overrides: Partial<Draft> = {}): Draft {
  return {
    id: randomUUID(),
    profileId,
    intent: INTENT,
    contentHash: draftContentHash(profileId, INTENT),
    preview: {
      estimatedPrice: '180.5',
      estimatedNotional: '541.5',
      shareOfEquity: '0.005',
      buyingPowerAfter: '199458.5',
      resultingPositionQty: '3',
    },
    verdict: { allowed: true, checks: [{ check: 'max_notional', passed: true, code: null, message: 'ok' }] },
    status: 'staged',
    actor: 'alice',
    createdAt: T0,
    expiresAt: at(60),
    commandId: null,
    ...overrides,
  };
}

export function auditInput(profileId: string, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    profileId,
    at: T0,
    actor: 'alice',
    action: 'draft.confirm',
    reason: null,
    subjectType: 'draft',
    subjectId: 'd-1',
    correlationId: null,
    data: { qty: '3' },
    ...overrides,
  };
}
