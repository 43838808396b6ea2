/**
 * resume: the confirmed re-arm. Checks the confirm token against the engine's environment; refuses
 * while a kill switch runs; HALTED (or a persisted REDUCING) -> ACTIVE, audited with the reason
 * (the effective state stays REDUCING while the stream is down); lifts the broker's suspend_trade
 * when the kill switch set it. From ACTIVE it succeeds without a change, with a note.
 */
import { parseCommandPayload } from '../../contract/command-payloads.js';
import { readWatermark, WATERMARKS, writeWatermark } from '../../contract/watermarks.js';
import type { Command, CommandOutcome } from '../../core/command.js';
import { isBlank } from '../../core/visible-text.js';
import { tokenMatches } from '../safety/safety-context.js';
import { type CommandContext, failed, rejected } from './command-context.js';

export async function resume(ctx: CommandContext, command: Command): Promise<CommandOutcome> {
  const safety = ctx.safety;
  if (!safety) return failed('unsupported_command', 'this engine has no trading-state control wired');
  const parsed = parseCommandPayload('resume', command.payload);
  // The token and the reason have their own refusals; any other bad field is invalid_payload.
  if (!parsed.ok && parsed.field !== 'confirm_token' && parsed.field !== 'reason') {
    return rejected('invalid_payload', parsed.message, { field: parsed.field });
  }
  const payload = parsed.ok ? parsed.payload : null;
  // tokenMatches checks the type of a raw token itself (a resume without a reason still has one).
  if (!tokenMatches(payload?.confirm_token ?? command.payload.confirm_token, ctx.environment)) {
    return rejected(
      'confirm_token_invalid',
      `confirm_token must be ${ctx.environment.toUpperCase()} (the engine's environment)`,
    );
  }
  if (safety.killSwitch.running) {
    return rejected('kill_switch_running', 'a kill switch is running; resume once it has finished');
  }
  const reason = payload?.reason ?? '';
  if (isBlank(reason)) {
    // The API refuses it too; a re-arm must say why, in characters a person can see.
    return rejected('reason_required', 'a resume needs a reason with visible characters');
  }
  const from = await safety.states.set('ACTIVE', {
    actor: command.actor,
    reason,
    correlationId: command.correlationId,
    data: { commandId: command.id },
  });
  let unsuspended = false;
  const suspended = WATERMARKS.killSwitchSuspended;
  if ((await readWatermark(ctx.store.watermarks, ctx.profileId, suspended)) === 'true') {
    await ctx.broker.setTradeSuspended(false, { lane: 'kill_switch' });
    await writeWatermark(ctx.store.watermarks, ctx.profileId, suspended, 'false');
    unsuspended = true;
  }
  const effective = ctx.tradingState();
  if (from === null) {
    return {
      status: 'succeeded',
      result: {
        from: 'ACTIVE',
        to: 'ACTIVE',
        effective,
        unsuspended,
        note: 'already ACTIVE: nothing to re-arm',
      },
    };
  }
  return { status: 'succeeded', result: { from, to: 'ACTIVE', effective, unsuspended } };
}
