/**
 * `centaur audit export`: the profile's audit trail as NDJSON (one event per line, chain order,
 * the stored fields including seq, prev_hash and hash, so the file can be verified on its own).
 * Reads the database directly (DATABASE_URL, ENGINE_PROFILE_ID): it works with the API down.
 * Filters: --since, --until (RFC 3339), --action. Writes to --out or standard output, and the
 * head it exported (seq and hash of the newest event) to standard error, for the operator to keep
 * outside the database.
 *
 * `centaur audit verify [--expect-seq N --expect-hash H]`: GET /audit/verify through the API;
 * with a saved head it also catches a cut or rewritten tail. Exit 1 when the answer is not ok.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { DatabaseUrlError, openStore } from '../../adapters/storage/index.js';
import { AUDIT_HASH_PATTERN, type AuditAnchor, type AuditEvent } from '../../core/audit.js';
import type { AuditQuery, Store } from '../../ports/store.js';
import { createApiClient } from '../api-client.js';
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

export interface ExportResult {
  count: number;
  /** The newest event written (the chain's head when unfiltered), or null when none was. */
  head: AuditAnchor | null;
}

/** Writes every matching event as one line; returns how many were written and the last one. */
export async function exportAudit(
  store: Store,
  profileId: string,
  filters: ExportFilters,
  out: Writable,
): Promise<ExportResult> {
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
  let head: AuditAnchor | null = null;
  for (;;) {
    const page = await store.audit.list(profileId, { ...base, afterSeq });
    for (const event of page) {
      if (!out.write(`${auditLine(event)}\n`)) await once(out, 'drain');
      head = { seq: event.seq, hash: event.hash };
    }
    count += page.length;
    if (page.length < PAGE) return { count, head };
    afterSeq = page[page.length - 1]?.seq ?? afterSeq;
  }
}

/** The operator's note after an export: the head to save and the command that checks it. */
export function formatExportHead(result: ExportResult, filtered: boolean): string {
  if (result.head === null) return 'exported 0 audit events; no head to save';
  const { seq, hash } = result.head;
  return [
    `exported ${result.count} audit event(s); ${filtered ? 'last exported event' : 'head'}: seq ${seq} hash ${hash}`,
    `save it; check later with: centaur audit verify --expect-seq ${seq} --expect-hash ${hash}`,
  ].join('\n');
}

export interface VerifyAnswer {
  profile_id: string;
  ok: boolean;
  events: number;
  first_broken_seq: number | null;
  head: AuditAnchor | null;
  anchor: (AuditAnchor & { found: boolean; matches: boolean }) | null;
  recorded_head: AuditAnchor | null;
  recorded_head_matches: boolean;
}

/** The query string for GET /audit/verify from --expect-seq/--expect-hash (both or neither). */
export function verifyQuery(opts: { expectSeq?: string; expectHash?: string }): string {
  const { expectSeq, expectHash } = opts;
  if (expectSeq === undefined && expectHash === undefined) return '';
  if (expectSeq === undefined || expectHash === undefined)
    throw new CliError(
      '--expect-seq and --expect-hash go together: pass both, as the export printed them',
      2,
    );
  if (!/^[1-9][0-9]{0,14}$/.test(expectSeq))
    throw new CliError(`--expect-seq "${expectSeq}" is not a positive integer`, 2);
  if (!AUDIT_HASH_PATTERN.test(expectHash.toLowerCase()))
    throw new CliError(`--expect-hash must be 64 hex characters (a SHA-256), not "${expectHash}"`, 2);
  return `?expect_seq=${expectSeq}&expect_hash=${expectHash.toLowerCase()}`;
}

export function formatVerify(v: VerifyAnswer): string {
  const head = v.head === null ? 'empty' : `head: seq ${v.head.seq} hash ${v.head.hash}`;
  const lines = [
    v.first_broken_seq === null
      ? `audit chain of ${v.profile_id}: intact, ${v.events} event(s), ${head}`
      : `audit chain of ${v.profile_id}: BROKEN at seq ${v.first_broken_seq} (edited or removed), ${v.events} event(s), ${head}`,
  ];
  if (!v.recorded_head_matches) {
    lines.push(
      v.recorded_head === null
        ? 'recorded tip: MISSING from the store while events remain'
        : `recorded tip seq ${v.recorded_head.seq}: MISSING or different in the chain, the newest events were removed or rewritten`,
    );
  }
  const a = v.anchor;
  if (a !== null) {
    lines.push(
      a.matches
        ? `saved head seq ${a.seq}: present with the saved hash`
        : a.found
          ? `saved head seq ${a.seq}: DIFFERENT hash, the chain was rewritten at or before it`
          : `saved head seq ${a.seq}: MISSING, the newest events were removed (the chain ends at ${v.head?.seq ?? 0})`,
    );
  }
  lines.push(v.ok ? 'ok' : 'NOT OK');
  return lines.join('\n');
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
        const result = await exportAudit(store, config.profileId, opts, out);
        if (opts.out !== undefined) {
          await closeStream(out);
          log.info(
            { count: result.count, file: opts.out, head: result.head },
            `exported ${result.count} audit event(s) to ${opts.out}`,
          );
        }
        const filtered = [opts.since, opts.until, opts.action].some((f) => f !== undefined);
        process.stderr.write(`${formatExportHead(result, filtered)}\n`);
      } finally {
        await store.close();
      }
    });
  audit
    .command('verify')
    .description('recompute the hash chain through the API; with a saved head, catch a cut or rewritten tail')
    .option('--expect-seq <n>', 'seq of a head saved earlier (from `audit export` or a previous verify)')
    .option('--expect-hash <hash>', 'hash of that event (64 hex characters)')
    .option('--api <url>', 'API base URL (default http://API_HOST:API_PORT)')
    .option('--json', 'print the raw JSON answer')
    .action(async (opts: { expectSeq?: string; expectHash?: string; api?: string; json?: boolean }) => {
      const query = verifyQuery(opts);
      const { config } = cliContext('cli');
      const answer = await createApiClient(config, opts.api).get<VerifyAnswer>(`/audit/verify${query}`);
      process.stdout.write(`${opts.json ? JSON.stringify(answer, null, 2) : formatVerify(answer)}\n`);
      if (!answer.ok) throw new CliError('the audit trail does not verify', 1);
    });
}
