/**
 * The audit trail (GET /audit): who did what, when, why, and what the system decided. The
 * endpoint is newer than the page; when the API does not have it, the panel says so.
 */
import { useState } from 'react';
import { actionFamilies, auditDetails, pick, TIME_KEYS } from '../lib/audit';
import { shorten } from '../lib/commands';
import { fmtTime } from '../lib/format';
import type { AuditState } from '../state/useLive';

export function AuditPanel({ audit, now }: { audit: AuditState | null; now: number }) {
  const [family, setFamily] = useState('');
  const events = audit?.available ? audit.events : [];
  const shown = family ? events.filter((e) => String(e.action ?? '').split('.')[0] === family) : events;
  return (
    <section className="panel" aria-labelledby="audit-h" data-testid="audit-panel">
      <div className="panel-head">
        <h2 id="audit-h">Audit trail</h2>
        {audit?.available ? (
          <label className="inline-field">
            <span>Action</span>
            <select name="auditFamily" value={family} onChange={(e) => setFamily(e.target.value)}>
              <option value="">all</option>
              {actionFamilies(events).map((f) => (
                <option key={f} value={f}>
                  {f.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {audit === null ? (
        <p className="empty">Loading…</p>
      ) : !audit.available ? (
        <p className="empty" data-testid="audit-unavailable">
          Audit trail not available ({audit.reason}).
        </p>
      ) : (
        <div className="table-wrap scroll">
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
              {shown.map((e, i) => (
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
                  <td className="wrap">{pick(e, ['reason']) ?? ''}</td>
                  <td className="muted small mono">{auditDetails(e)}</td>
                </tr>
              ))}
              {shown.length === 0 ? (
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
