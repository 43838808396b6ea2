/**
 * One run of `centaur earnings-calendar`: resolve the symbols, fetch the events, print them,
 * then write the ICS file and sync Google Calendar when asked. `--dry-run` fetches and shows what
 * would change but writes no file and sends no change to Google.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { buildEntries, nextDay } from './calendar-entries.js';
import type { EarningsConfig } from './earnings-config.js';
import { type FetchDeps, gatherEarnings, gatherMacro } from './earnings-fetch.js';
import type { CalendarEntry, EarningsEvent } from './earnings-types.js';
import { getAccessToken } from './google-auth.js';
import { applySync, listOwnEvents, planSync, type SyncPlan } from './google-calendar-sync.js';
import { toIcs } from './ics-writer.js';
import { fetchPositionSymbols } from './positions-source.js';

export interface EarningsRunDeps {
  fetchFn: typeof fetch;
  now: () => Date;
  progress: (line: string) => void;
  output: (text: string) => void;
  writeFile: (path: string, text: string) => void;
  readText?: (path: string, encoding: 'utf8') => string;
}

export interface EarningsRunResult {
  symbols: string[];
  entries: CalendarEntry[];
  ics: string | null;
  sync: SyncPlan | null;
}

/** Writes through a temporary file and a rename, so a reader never sees half a calendar. */
export function writeFileAtomic(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, 'utf8');
  renameSync(temp, path);
}

/** Today's date on Wall Street (YYYY-MM-DD): the window starts there. */
export function newYorkDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(at);
}

export function addDays(date: string, days: number): string {
  let out = date;
  for (let i = 0; i < days; i += 1) out = nextDay(out);
  return out;
}

async function resolveSymbols(config: EarningsConfig, deps: FetchDeps): Promise<string[]> {
  const symbols = new Set(config.symbols);
  if (config.fromPositions !== null) {
    deps.progress(`Centaur API: reading positions`);
    const held = await fetchPositionSymbols(config.fromPositions, config.apiToken, deps);
    deps.progress(`Centaur API: ${held.length} position(s)`);
    for (const s of held) symbols.add(s);
  }
  return [...symbols].sort();
}

function describe(event: EarningsEvent): string {
  const eps = event.epsEstimate === null ? '' : `  EPS est ${event.epsEstimate}`;
  return `${event.date}  ${event.symbol.padEnd(6)} ${event.time.toUpperCase().padEnd(7)}${eps}  (${event.source})`;
}

function dedupe(events: readonly EarningsEvent[]): EarningsEvent[] {
  const seen = new Map<string, EarningsEvent>();
  for (const e of events) if (!seen.has(`${e.symbol}|${e.date}`)) seen.set(`${e.symbol}|${e.date}`, e);
  return [...seen.values()].sort((a, b) => a.date.localeCompare(b.date) || a.symbol.localeCompare(b.symbol));
}

function startDate(entry: { start?: { date?: string; dateTime?: string } }): string {
  return entry.start?.date ?? (entry.start?.dateTime ?? '').slice(0, 10);
}

async function syncGoogle(
  entries: CalendarEntry[],
  window: { from: string; to: string },
  config: EarningsConfig,
  deps: FetchDeps & EarningsRunDeps,
): Promise<SyncPlan> {
  const files = { credentialsPath: config.google.credentialsPath!, tokenPath: config.google.tokenPath! };
  const accessToken = await getAccessToken(files, deps, deps.readText);
  const target = {
    calendarId: config.google.calendarId,
    accessToken,
    timeMin: `${window.from}T00:00:00Z`,
    timeMax: `${nextDay(window.to)}T23:59:59Z`,
  };
  const secretDeps = { ...deps, secrets: [...deps.secrets, accessToken] };
  deps.progress(`Google Calendar: listing Centaur events in ${config.google.calendarId}`);
  const existing = (await listOwnEvents(target, secretDeps)).filter((e) => {
    const day = startDate(e);
    return day >= window.from && day <= window.to;
  });
  const plan = planSync(entries, existing);
  const counts = `${plan.create.length} created, ${plan.update.length} updated, ${plan.remove.length} deleted, ${plan.unchanged} unchanged`;
  if (config.dryRun) {
    deps.output(`dry run: Google Calendar would have ${counts}\n`);
    return plan;
  }
  await applySync(plan, target, secretDeps);
  deps.output(`Google Calendar: ${counts}\n`);
  return plan;
}

function writeIcs(entries: CalendarEntry[], config: EarningsConfig, deps: EarningsRunDeps): string | null {
  if (config.exportIcs === null) return null;
  const ics = toIcs(entries, deps.now());
  if (config.dryRun) deps.output(`dry run: would write ${entries.length} event(s) to ${config.exportIcs}\n`);
  else {
    deps.writeFile(config.exportIcs, ics);
    deps.output(`wrote ${entries.length} event(s) to ${config.exportIcs}\n`);
  }
  return ics;
}

export async function runEarningsCalendar(
  config: EarningsConfig,
  deps: EarningsRunDeps,
): Promise<EarningsRunResult> {
  const secrets = [config.keys.fmp, config.keys.finnhub, config.keys.benzinga, config.apiToken].filter(
    (s): s is string => s !== null,
  );
  const fetchDeps = { ...deps, secrets };
  const symbols = await resolveSymbols(config, fetchDeps);
  const from = newYorkDate(deps.now());
  const window = { from, to: addDays(from, config.days) };
  if (symbols.length === 0) deps.progress('no symbols to look up (no positions held)');
  const earnings =
    symbols.length === 0 ? [] : dedupe(await gatherEarnings({ ...window, symbols }, config, fetchDeps));
  const macro = await gatherMacro({ ...window, symbols }, config, fetchDeps);
  deps.output(`${earnings.length} earnings event(s) ${window.from}..${window.to}\n`);
  for (const e of earnings) deps.output(`${describe(e)}\n`);
  for (const m of macro) deps.output(`${m.date}  ${m.time ?? 'all day'} ET  ${m.country} ${m.name}\n`);
  const entries = buildEntries(earnings, macro);
  const ics = writeIcs(entries, config, deps);
  const sync = config.google.enabled
    ? await syncGoogle(entries, window, config, { ...deps, ...fetchDeps })
    : null;
  return { symbols, entries, ics, sync };
}
