/**
 * The complete catalogue of audit actions: every `action` the API and the engine append to the
 * hash-chained audit trail, who writes it and what it means. Writers take the action from
 * AUDIT_ACTIONS (never a string of their own); GET /audit filters and the UI's audit panel read
 * the same names; docs/api.md's audit section lists every one and a test keeps the two in step.
 * Must preserve: names are stable (an exported trail and scripts filter on them): add, document,
 * never rename.
 */

export type AuditWriter = 'api' | 'engine';

export interface AuditActionEntry {
  action: string;
  writer: AuditWriter;
  /** When it is written, in one line. */
  meaning: string;
}

function entry<const A extends string>(action: A, writer: AuditWriter, meaning: string) {
  return { action, writer, meaning } satisfies AuditActionEntry;
}

export const AUDIT_CATALOGUE = {
  // The API: requests it accepted or refused.
  draftCreated: entry('draft.created', 'api', 'a draft is staged and the risk checks allow it'),
  draftDenied: entry(
    'draft.denied',
    'api',
    'a draft is stored denied by the risk checks (reason: the denials)',
  ),
  draftConfirmed: entry('draft.confirmed', 'api', 'a confirm creates the submit_order command'),
  draftIntegrityFailed: entry(
    'draft.integrity_failed',
    'api',
    'the stored draft no longer matches its content hash: at confirm (API, nothing queued) or at submit (engine, nothing sent)',
  ),
  killSwitchRequested: entry('kill_switch.requested', 'api', 'a kill switch command is queued'),
  resumeRequested: entry('resume.requested', 'api', 'a resume (re-arm) command is queued'),
  cancelRequested: entry('cancel.requested', 'api', 'a cancel_order command is queued'),
  requestRefused: entry(
    'request.refused',
    'api',
    'a POST /commands/* request is refused (code and status in data)',
  ),
  // The engine: commands.
  commandSucceeded: entry('command.succeeded', 'engine', 'a command finished succeeded (result in data)'),
  commandFailed: entry('command.failed', 'engine', 'a command finished failed (error code in data)'),
  commandRejected: entry('command.rejected', 'engine', 'a command finished rejected (error code in data)'),
  commandExpired: entry(
    'command.expired',
    'engine',
    'an order command expired before it ran; nothing was sent',
  ),
  // The engine: orders it places.
  orderSubmitted: entry(
    'order.submitted',
    'engine',
    'the engine sends the order to the broker (intent and lane)',
  ),
  orderAccepted: entry('order.accepted', 'engine', 'the broker accepted the order (order id, status)'),
  orderDenied: entry(
    'order.denied',
    'engine',
    'the pre-submit risk check or the durable trading state refused the order; nothing was sent',
  ),
  orderRejectedByBroker: entry(
    'order.rejected_by_broker',
    'engine',
    'the broker rejected the order (broker code)',
  ),
  orderSubmitAmbiguous: entry(
    'order.submit_ambiguous',
    'engine',
    'the submit outcome is unknown; the stream or reconciliation settles it, never a resend',
  ),
  fillRecorded: entry(
    'fill.recorded',
    'engine',
    'a fill from the trade stream is stored (tied to its command)',
  ),
  // The engine: trading state and the kill switch.
  tradingStateChanged: entry(
    'trading_state.changed',
    'engine',
    'the persisted trading state changed (from, to)',
  ),
  killSwitchStarted: entry(
    'kill_switch.started',
    'engine',
    'a kill switch run starts (or resumes after a restart)',
  ),
  killSwitchSubmissionsSettled: entry(
    'kill_switch.submissions_settled',
    'engine',
    'the submissions already in flight when trading halted have settled',
  ),
  killSwitchOrdersCancelled: entry(
    'kill_switch.orders_cancelled',
    'engine',
    'a round of cancelling open orders',
  ),
  killSwitchPositionsClosed: entry('kill_switch.positions_closed', 'engine', 'a round of closing positions'),
  killSwitchRetry: entry('kill_switch.retry', 'engine', 'the broker is not flat yet; another round starts'),
  killSwitchFinished: entry(
    'kill_switch.finished',
    'engine',
    'a kill switch run ends, flat or not (the report)',
  ),
  // The engine: reconciliation repairs.
  reconcileOrderDiscovered: entry(
    'reconcile.order_discovered',
    'engine',
    'reconciliation found an order the ledger did not have',
  ),
  reconcileOrderRepaired: entry(
    'reconcile.order_repaired',
    'engine',
    "reconciliation moved an order's status or filled quantity",
  ),
  reconcileOrderUnknownAtBroker: entry(
    'reconcile.order_unknown_at_broker',
    'engine',
    'an order open in the ledger is unknown to the broker',
  ),
  reconcileFillBackfilled: entry(
    'reconcile.fill_backfilled',
    'engine',
    'reconciliation stored a fill the stream missed',
  ),
  reconcilePositionCorrected: entry(
    'reconcile.position_corrected',
    'engine',
    "a REST read corrected a position's quantity in the ledger",
  ),
  reconcileLossDetected: entry(
    'reconcile.loss_detected',
    'engine',
    'evidence that stream events were lost (fill chains, positions, open orders); a re-read follows',
  ),
} as const;

export type AuditActionName = keyof typeof AUDIT_CATALOGUE;
export type AuditAction = (typeof AUDIT_CATALOGUE)[AuditActionName]['action'];

/** The action names by their constant name: `AUDIT_ACTIONS.killSwitchStarted`. */
export const AUDIT_ACTIONS = Object.fromEntries(
  Object.entries(AUDIT_CATALOGUE).map(([name, e]) => [name, e.action]),
) as { readonly [N in AuditActionName]: (typeof AUDIT_CATALOGUE)[N]['action'] };

export const AUDIT_ACTION_LIST: readonly AuditAction[] = Object.values(AUDIT_ACTIONS);

/** The action a finished command is audited as. */
export const COMMAND_OUTCOME_ACTIONS = {
  succeeded: AUDIT_ACTIONS.commandSucceeded,
  failed: AUDIT_ACTIONS.commandFailed,
  rejected: AUDIT_ACTIONS.commandRejected,
  expired: AUDIT_ACTIONS.commandExpired,
} as const;
