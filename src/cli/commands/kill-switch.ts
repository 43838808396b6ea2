/**
 * `centaur kill-switch`: the emergency flatten from a terminal, through the API, with the same
 * typed confirmation as the UI: type the environment (PAPER or LIVE). Follows the command to its
 * result and prints the per-symbol report. Exit 0 when the engine reports the account flat.
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { isTerminalCommandStatusText } from '../../contract/commands.js';
import { createApiClient } from '../api-client.js';
import { CliError, cliContext } from '../context.js';

interface CommandView {
  id: string;
  status: string;
  result: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}

async function askToken(environment: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new CliError(`no terminal to confirm on: pass --confirm-token ${environment.toUpperCase()}`, 2);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    process.stderr.write(
      `\nKILL SWITCH (${environment.toUpperCase()}): halts trading, cancels every open order and closes every position.\n`,
    );
    return await rl.question(`Type ${environment.toUpperCase()} to confirm: `);
  } finally {
    rl.close();
  }
}

export function register(program: Command): void {
  program
    .command('kill-switch')
    .description('halt, cancel every open order, close every position (through the API, typed confirmation)')
    .option('--confirm-token <token>', 'PAPER or LIVE (the environment); asked for when omitted')
    .option('--reason <text>', 'why (kept in the audit trail)')
    .option('--api <url>', 'API base URL (default http://API_HOST:API_PORT)')
    .option('--timeout <seconds>', 'how long to follow the command', '120')
    .action(async (opts: { confirmToken?: string; reason?: string; api?: string; timeout: string }) => {
      const { config } = cliContext('cli');
      const client = createApiClient(config, opts.api);
      const token = opts.confirmToken ?? (await askToken(config.environment));
      if (token.trim().toLowerCase() !== config.environment) {
        throw new CliError(
          `confirmation "${token}" does not match the environment ${config.environment.toUpperCase()}; nothing was sent`,
          2,
        );
      }
      const created = await client.post<{ command: CommandView }>('/commands/kill-switch', {
        confirm_token: token.trim(),
        ...(opts.reason ? { reason: opts.reason } : {}),
      });
      process.stderr.write(`kill switch queued as command ${created.command.id}; following it...\n`);
      const deadline = Date.now() + Number(opts.timeout) * 1000;
      let view = created.command;
      let last = '';
      while (!isTerminalCommandStatusText(view.status)) {
        if (Date.now() > deadline)
          throw new CliError(
            `still ${view.status} after ${opts.timeout} s; follow it with GET /commands/${view.id}`,
            1,
          );
        await new Promise((r) => setTimeout(r, 500));
        view = await client.get<CommandView>(`/commands/${view.id}`);
        if (view.status !== last) process.stderr.write(`  ${view.status}\n`);
        last = view.status;
      }
      process.stdout.write(
        `${JSON.stringify({ status: view.status, result: view.result, error: view.error }, null, 2)}\n`,
      );
      if (view.status !== 'succeeded')
        throw new CliError(`kill switch ${view.status}: ${view.error?.message ?? 'see the report'}`, 1);
    });
}
