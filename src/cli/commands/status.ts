/** `centaur status`: what the control plane sees now — engine, stream, trading state, account, positions. */
import type { Command } from 'commander';
import { createApiClient } from '../api-client.js';
import { cliContext } from '../context.js';

interface Profile {
  profile_id: string;
  environment: string | null;
  engine: { stream_state: string; heartbeat_age_ms: number | null } | null;
  trading_state: { state: string; reason: string };
}
interface Account {
  account: {
    equity: string;
    cash: string;
    buying_power: string;
    day_pl: string;
    day_pl_pct: string | null;
  } | null;
}
interface Positions {
  as_of: string | null;
  provenance: string;
  positions: Array<{
    symbol: string;
    qty: string;
    market_value: string | null;
    unrealized_pl: string | null;
  }>;
}

export function formatStatus(profile: Profile, account: Account, positions: Positions): string {
  const a = account.account;
  const lines = [
    `profile ${profile.profile_id} (${(profile.environment ?? 'unknown').toUpperCase()})`,
    `engine: ${profile.engine ? `stream ${profile.engine.stream_state}, heartbeat ${profile.engine.heartbeat_age_ms ?? '?'} ms ago` : 'no heartbeat (engine offline?)'}`,
    `trading state: ${profile.trading_state.state} (${profile.trading_state.reason})`,
    a
      ? `account: equity ${a.equity}, cash ${a.cash}, buying power ${a.buying_power}, day P/L ${a.day_pl} (${a.day_pl_pct ?? '?'}%)`
      : 'account: not synced yet',
    `positions (${positions.provenance}, as of ${positions.as_of ?? 'never'}):`,
    ...positions.positions.map(
      (p) =>
        `  ${p.symbol.padEnd(8)} ${p.qty.padStart(12)}  value ${p.market_value ?? '?'}  unrealized ${p.unrealized_pl ?? '?'}`,
    ),
  ];
  if (positions.positions.length === 0) lines.push('  (flat)');
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('status')
    .description('show engine, stream, trading state, account and positions through the API')
    .option('--api <url>', 'API base URL (default http://API_HOST:API_PORT)')
    .option('--json', 'print the raw JSON answers')
    .action(async (opts: { api?: string; json?: boolean }) => {
      const { config } = cliContext('cli');
      const client = createApiClient(config, opts.api);
      const [profile, account, positions] = await Promise.all([
        client.get<Profile>('/state/profile'),
        client.get<Account>('/state/account'),
        client.get<Positions>('/state/positions'),
      ]);
      process.stdout.write(
        `${opts.json ? JSON.stringify({ profile, account, positions }, null, 2) : formatStatus(profile, account, positions)}\n`,
      );
    });
}
