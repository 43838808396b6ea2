/**
 * The audit trail (GET /audit): who did what, when, why, and what the system decided. The
 * endpoint is newer than the page; when the API does not have it, the panel says so.
 */
import { shorten } from '../lib/commands';
import { fmtTime } from '../lib/format';
import type { AuditState } from '../state/useLive';

const TIME_KEYS = ['at', 'occurred_at', 'created_at', 'timestamp'];
const SHOWN = new Set([
  ...TIME_KEYS,
  'actor',
  'action',
  'reason',
  'id',
  'seq',
  'hash',
  'prev_hash',
  'profile_id',
  'subject',
  'subject_type',
  'subject_id',
  'correlation_id',
]);

function pick(e: Record<string, unknown>, keys: string[]): string | null {
  for (const k of keys) if (typeof e[k] === 'string') return e[k] as string;
  return null;
}

function details(e: Record<string, unknown>): string {
  const rest = Object.fromEntries(Object.entries(e).filter(([k, v]) => !SHOWN.has(k) && v !== null));
  const text = JSON.stringify(rest);
  return text === '{}' ? '' : text.length > 240 ? `${text.slice(0, 240)}…` : text;
}

export function AuditPanel({ audit, now }: { audit: AuditState | null; now: number }) {
  return (
    <section className="panel" aria-labelledby="audit-h" data-testid="audit-panel">
      <div className="panel-head">
        <h2 id="audit-h">Audit trail</h2>
      </div>
      {audit === null ? (
        <p className="empty">Loading…</p>
      ) : !audit.available ? (
        <p className="empty" data-testid="audit-unavailable">
          Audit trail not available ({audit.reason}).
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Subject</th>
                <th scope="col">Reason</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {audit.events.map((e, i) => (
                <tr key={String(e.seq ?? e.id ?? i)} data-action={String(e.action ?? '')}>
                  <td className="small mono">{fmtTime(pick(e, TIME_KEYS), now)}</td>
                  <td>{pick(e, ['actor']) ?? '—'}</td>
                  <td>
                    <code>{pick(e, ['action', 'type']) ?? '—'}</code>
                  </td>
                  <td className="small">
                    {[pick(e, ['subject_type']), shorten(pick(e, ['subject_id', 'subject']) ?? '')]
                      .filter(Boolean)
                      .join(' ')}
                  </td>
                  <td>{pick(e, ['reason']) ?? ''}</td>
                  <td className="muted small mono">{details(e)}</td>
                </tr>
              ))}
              {audit.events.length === 0 ? (
                <tr>
                  <td colSpan={6} className="empty">
                    No audit events yet.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
