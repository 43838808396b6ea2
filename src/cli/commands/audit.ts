/**
 * `centaur audit export`: the profile's audit trail as NDJSON (one event per line, chain order,
 * the stored fields including seq, prev_hash and hash, so the file can be verified on its own).
 * Reads the database directly (DATABASE_URL, ENGINE_PROFILE_ID): it works with the API down.
 * Filters: --since, --until (RFC 3339), --action. Writes to --out or standard output.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { DatabaseUrlError, openStore } from '../../adapters/storage/index.js';
import type { AuditEvent } from '../../core/audit.js';
import type { AuditQuery, Store } from '../../ports/store.js';
import { CliError, cliContext } from '../context.js';

const PAGE = 1000;

export interface ExportFilters {
  since?: string;
  until?: string;
  action?: string;
}

/** One NDJSON line: the event with snake_case keys, as GET /audit shows it. */
export function auditLine(e: AuditEvent): string {
  return JSON.stringify({
    profile_id: e.profileId,
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    reason: e.reason,
    subject_type: e.subjectType,
    subject_id: e.subjectId,
    correlation_id: e.correlationId,
    data: e.data,
    prev_hash: e.prevHash,
    hash: e.hash,
  });
}

function isoTime(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new CliError(`--${option} "${value}" is not an RFC 3339 time`, 2);
  return new Date(ms).toISOString();
}

/** Writes every matching event as one line; returns how many were written. */
export async function exportAudit(
  store: Store,
  profileId: string,
  filters: ExportFilters,
  out: Writable,
): Promise<number> {
  const since = isoTime(filters.since, 'since');
  const until = isoTime(filters.until, 'until');
  const base: AuditQuery = {
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
    ...(filters.action === undefined ? {} : { action: filters.action }),
    limit: PAGE,
  };
  let afterSeq = 0;
  let count = 0;
  for (;;) {
    const page = await store.audit.list(profileId, { ...base, afterSeq });
    for (const event of page) {
      if (!out.write(`${auditLine(event)}\n`)) await once(out, 'drain');
    }
    count += page.length;
    if (page.length < PAGE) return count;
    afterSeq = page[page.length - 1]?.seq ?? afterSeq;
  }
}

async function closeStream(out: Writable): Promise<void> {
  out.end();
  await once(out, 'finish');
}

export function register(program: Command): void {
  const audit = program.command('audit').description('the audit trail (hash-chained, append-only)');
  audit
    .command('export')
    .description('write the audit trail as NDJSON, one event per line, in chain order')
    .option('--since <time>', 'only events at or after this RFC 3339 time')
    .option('--until <time>', 'only events at or before this RFC 3339 time')
    .option('--action <action>', 'only events with this action (e.g. draft.confirmed)')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (opts: ExportFilters & { out?: string }) => {
      const { config, log } = cliContext('cli');
      let store: Store;
      try {
        store = await openStore(config.database.url);
      } catch (error) {
        if (error instanceof DatabaseUrlError) throw new CliError(error.message, 2);
        throw error;
      }
      const out = opts.out === undefined ? process.stdout : createWriteStream(opts.out);
      try {
        const count = await exportAudit(store, config.profileId, opts, out);
        if (opts.out !== undefined) {
          await closeStream(out);
          log.info({ count, file: opts.out }, `exported ${count} audit event(s) to ${opts.out}`);
        }
      } finally {
        await store.close();
      }
    });
}
