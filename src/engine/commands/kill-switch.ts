/**
 * kill_switch: checks the confirm token against the engine's own environment, then runs (or joins)
 * the engine's kill switch (safety/kill-switch.ts). Succeeds with the per-symbol report once the
 * broker shows flat; fails with the same report when the retry bound is reached first.
 */
import { parseCommandPayload } from '../../contract/command-payloads.js';
import type { Command, CommandOutcome } from '../../core/command.js';
import { EngineStoppingError } from '../safety/kill-switch.js';
import { tokenMatches } from '../safety/safety-context.js';
import { type CommandContext, failed, rejected } from './command-context.js';

export async function killSwitch(ctx: CommandContext, command: Command): Promise<CommandOutcome> {
  if (!ctx.safety) return failed('unsupported_command', 'this engine has no kill switch wired');
  const parsed = parseCommandPayload('kill_switch', command.payload);
  // A missing or wrong token is the token check's refusal; any other bad field is invalid_payload.
  if (!parsed.ok && parsed.field !== 'confirm_token') {
    return rejected('invalid_payload', parsed.message, { field: parsed.field });
  }
  if (!parsed.ok || !tokenMatches(parsed.payload.confirm_token, ctx.environment)) {
    return rejected(
      'confirm_token_invalid',
      `confirm_token must be ${ctx.environment.toUpperCase()} (the engine's environment)`,
    );
  }
  try {
    const report = await ctx.safety.killSwitch.run(command);
    const result = { ...report, symbols: report.symbols.map((s) => ({ ...s })) };
    if (report.flat) return { status: 'succeeded', result };
    return failed('not_flat', `the broker is not flat after ${report.attempts} rounds`, result);
  } catch (error) {
    if (error instanceof EngineStoppingError) return failed('engine_stopping', error.message);
    throw error;
  }
}
