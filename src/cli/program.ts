/**
 * Assembles the `centaur` command from its subcommands. Each subcommand lives in
 * src/cli/commands/<name>.ts and exports `register(program)`; add it to the list below.
 */
import { Command } from 'commander';
import { VERSION } from '../version.js';
import * as apiCommand from './commands/api.js';
import * as arkHoldingsCommand from './commands/ark-holdings.js';
import * as auditCommand from './commands/audit.js';
import * as configCommand from './commands/config.js';
import * as doctorCommand from './commands/doctor.js';
import * as earningsCalendarCommand from './commands/earnings-calendar.js';
import * as engineCommand from './commands/engine.js';
import * as killSwitchCommand from './commands/kill-switch.js';
import * as migrateCommand from './commands/migrate.js';
import * as simCommand from './commands/sim.js';
import * as startCommand from './commands/start.js';
import * as statusCommand from './commands/status.js';

type Registration = (program: Command) => void;

const registrations: Registration[] = [
  startCommand.register,
  configCommand.register,
  doctorCommand.register,
  statusCommand.register,
  killSwitchCommand.register,
  migrateCommand.register,
  earningsCalendarCommand.register,
  arkHoldingsCommand.register,
  simCommand.register,
  apiCommand.register,
  engineCommand.register,
  auditCommand.register,
];

export function buildProgram(): Command {
  const program = new Command('centaur')
    .description(
      'Centaur: a trading control system for Alpaca. The person decides; the machine guards the account.',
    )
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  for (const register of registrations) register(program);
  return program;
}
