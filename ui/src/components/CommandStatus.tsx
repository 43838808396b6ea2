/**
 * A followed command: its status as a pill, its error, the scalar facts of its result and any
 * per-symbol report (the kill switch's). Shared by the ticket, the cancel button and the kill
 * switch panel.
 */
import type { Command } from '../api/types';
import { commandError, isFinal, resultFacts, symbolReports } from '../lib/commands';

export function StatusPill({ status }: { status: string }) {
  return <span className={`pill pill-${status}`}>{status.replace(/_/g, ' ')}</span>;
}

export function CommandStatus({
  command,
  error,
  testId,
}: {
  command: Command | null;
  error?: string | null;
  testId: string;
}) {
  if (!command) return error ? <p className="error">{error}</p> : null;
  const err = commandError(command);
  const facts = resultFacts(command.result);
  const reports = symbolReports(command.result);
  return (
    <div className="command-status" data-testid={testId} data-status={command.status} aria-live="polite">
      <div className="command-line">
        <span className="muted">Command</span> <code>{command.id.slice(0, 8)}</code>{' '}
        <StatusPill status={command.status} />
        {isFinal(command.status) ? null : <span className="spinner" aria-hidden="true" />}
      </div>
      {err ? <p className="error">{err}</p> : null}
      {facts.length ? (
        <dl className="facts" aria-label="Result">
          {facts.map(([k, v]) => (
            <div key={k}>
              <dt>{k.replace(/_/g, ' ')}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {reports.map((t) => (
        <table key={t.title} className="report" aria-label={`Report: ${t.title || 'per symbol'}`}>
          <thead>
            <tr>
              {t.columns.map((c) => (
                <th key={c} scope="col">
                  {c.replace(/_/g, ' ')}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {t.rows.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: report rows have no id; the order is the engine's
              <tr key={i}>
                {t.columns.map((c) => (
                  <td key={c}>{r[c]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
