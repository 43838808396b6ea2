/**
 * A draft is a staged order a person has not yet confirmed: its preview, its risk verdict and
 * its expiry. Confirming it creates exactly one command; the broker's client order id derives
 * from the draft id, so no path can submit the same draft twice.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { DecimalString } from './decimal.js';
import type { OrderIntent } from './order-request.js';
import type { Timestamp } from './time.js';

export const DRAFT_STATUSES = ['staged', 'confirmed', 'expired', 'denied'] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];

export interface RiskCheckResult {
  check: string;
  passed: boolean;
  /** A stable denial code when the check failed. */
  code: string | null;
  message: string;
}

export interface RiskVerdict {
  allowed: boolean;
  checks: RiskCheckResult[];
}

export interface DraftPreview {
  estimatedPrice: DecimalString | null;
  estimatedNotional: DecimalString | null;
  shareOfEquity: DecimalString | null;
  buyingPowerAfter: DecimalString | null;
  resultingPositionQty: DecimalString;
}

export interface Draft {
  id: string;
  profileId: string;
  intent: OrderIntent;
  contentHash: string;
  preview: DraftPreview;
  verdict: RiskVerdict;
  status: DraftStatus;
  actor: string;
  createdAt: Timestamp;
  expiresAt: Timestamp;
  commandId: string | null;
}

/** A stable hash of the order content, independent of key order, so a confirm can prove what it confirms. */
export function draftContentHash(profileId: string, intent: OrderIntent): string {
  return createHash('sha256')
    .update(canonicalJson({ profileId, ...intent }))
    .digest('hex');
}
