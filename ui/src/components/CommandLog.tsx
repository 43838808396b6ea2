/** The command log with live status (SSE `commands`), newest first. */
import type { Command } from '../api/types';
import { commandError, commandSummary } from '../lib/commands';
import { fmtTime } from '../lib/format';
import { StatusPill } from './CommandStatus';

export function CommandLog({ commands, now }: { commands: Command[]; now: number }) {
  return (
    <section className="panel" aria-labelledby="commands-h" data-testid="commands-panel">
      <div className="panel-head">
        <h2 id="commands-h">Command log</h2>
        <span className="muted small">live</span>
      </div>
      <div className="table-wrap scroll">
        <table className="table" data-testid="commands-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Type</th>
              <th scope="col">What</th>
              <th scope="col">Actor</th>
              <th scope="col">Status</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {commands.map((c) => (
              <tr key={c.id} data-command-id={c.id} data-status={c.status}>
                <td className="small mono">{fmtTime(c.created_at, now)}</td>
                <td>
                  <code>{c.type}</code>
                </td>
                <td>{commandSummary(c)}</td>
                <td className="muted">{c.actor ?? '—'}</td>
                <td>
                  <StatusPill status={c.status} />
                </td>
                <td className="error small">{commandError(c) ?? ''}</td>
              </tr>
            ))}
            {commands.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty">
                  No commands yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </section>
  );
}
