/**
 * Commands as every part sees them: their types and statuses (defined in core/command.ts, whose
 * lifecycle rules need them; re-exported here for the API, the CLI and the UI), and the codes a
 * command's `error.code` can carry. The engine's own codes are catalogued here with their
 * meaning; a rejected order may instead carry risk denial codes (core/risk/denial-codes.ts,
 * comma-separated when several checks denied it) or the broker's error code, and a broker failure
 * `broker_<code>`. Must preserve: codes are stable (scripts, the UI and the audit trail key on
 * them); a new code is added here, documented, never renamed.
 */
import { COMMAND_STATUSES, type CommandStatus, TERMINAL_COMMAND_STATUSES } from '../core/command.js';
import { DENIAL_CODES, type DenialCode } from '../core/risk/denial-codes.js';

export {
  COMMAND_STATUSES,
  COMMAND_TYPES,
  type CommandStatus,
  type CommandType,
  isTerminalCommandStatus,
  TERMINAL_COMMAND_STATUSES,
} from '../core/command.js';
export { DENIAL_CODES, type DenialCode } from '../core/risk/denial-codes.js';

/** True for a code of the risk engine's closed set. */
export function isDenialCode(code: string): code is DenialCode {
  return Object.hasOwn(DENIAL_CODES, code);
}

/** For a status read off the wire (any string): true once the command can no longer change. */
export function isTerminalCommandStatusText(status: string): boolean {
  return (
    (COMMAND_STATUSES as readonly string[]).includes(status) &&
    TERMINAL_COMMAND_STATUSES.has(status as CommandStatus)
  );
}

/** Error codes the engine (and, for bus_unavailable, the API) writes on a command, by meaning. */
export const COMMAND_ERROR_CODES = {
  invalid_payload: "rejected: the payload lacks what the command's type needs",
  expired: 'expired: the order command passed its expiry before it ran; nothing was sent',
  draft_integrity_failed: 'rejected: the order does not match the draft the person confirmed (content hash)',
  confirm_token_invalid: "rejected: the kill switch or resume token is not the engine's environment",
  kill_switch_running: 'rejected: a resume while a kill switch runs',
  reason_required: 'rejected: a resume without a reason in visible characters',
  bus_unavailable: 'rejected (by the API): the command bus refused the command',
  submit_ambiguous: "failed: the submit's outcome is unknown; the stream or reconciliation settles the order",
  not_flat: 'failed: the kill switch reached its retry bound and the broker is not flat',
  engine_stopping: 'failed: the engine stopped during a kill switch; it resumes at the next start',
  unsupported_command: 'failed: this engine has no handler for the command type',
  internal_error: 'failed: the handler broke an invariant; the engine logged it',
} as const;

export type CommandErrorCode = keyof typeof COMMAND_ERROR_CODES;

/** `broker_<code>`: a broker error that is not a rejection of the order (timeouts, outages...). */
export type BrokerFailureCode = `broker_${string}`;

export function brokerFailureCode(brokerCode: string): BrokerFailureCode {
  return `broker_${brokerCode}`;
}
