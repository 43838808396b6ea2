/**
 * The kill switch: halt new orders, cancel every open order, close every position, verify flat.
 * The button stays disabled until the warning is acknowledged and the environment's token
 * (PAPER or LIVE) is typed; the command is then followed with its per-symbol report. Resume
 * (re-arm) has its own confirmation with the same token.
 */
import { useState } from 'react';
import { ApiError, newKey, post } from '../api/client';
import type { Command, TradingState } from '../api/types';
import { useCommand } from '../state/useLive';
import { CommandStatus } from './CommandStatus';
import { Dialog } from './Dialog';

interface Props {
  environment: 'paper' | 'live' | null;
  tradingState: TradingState | null;
  commands: Command[];
  onCommand: (c: Command) => void;
}

function message(e: unknown): string {
  if (e instanceof ApiError)
    return e.status === 404 ? 'Not available in this API version.' : `${e.message} (${e.code})`;
  return String(e);
}

export function KillSwitch({ environment, tradingState, commands, onCommand }: Props) {
  const token = environment ? environment.toUpperCase() : null;
  const [ack, setAck] = useState(false);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [killKey, setKillKey] = useState(newKey);
  const [killId, setKillId] = useState<string | null>(null);
  const kill = useCommand(killId, commands);

  const [resumeOpen, setResumeOpen] = useState(false);
  const [resumeTyped, setResumeTyped] = useState('');
  const [resumeReason, setResumeReason] = useState('');
  const [resumeKey, setResumeKey] = useState('');
  const [resumeError, setResumeError] = useState<string | null>(null);
  const [resumeId, setResumeId] = useState<string | null>(null);
  const resume = useCommand(resumeId, commands);

  const tokenOk = token !== null && typed.trim().toUpperCase() === token;
  const ready = ack && tokenOk && !busy;
  const halted = tradingState?.state === 'HALTED';

  const fire = async () => {
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, string> = { confirm_token: typed.trim().toUpperCase() };
      if (reason.trim()) body.reason = reason.trim();
      const r = await post<{ command: Command }>('/commands/kill-switch', body, killKey);
      onCommand(r.command);
      setKillId(r.command.id);
      setAck(false);
      setTyped('');
      setKillKey(newKey());
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const fireResume = async () => {
    setBusy(true);
    setResumeError(null);
    try {
      const body = { confirm_token: resumeTyped.trim().toUpperCase(), reason: resumeReason.trim() };
      const r = await post<{ command: Command }>('/commands/resume', body, resumeKey);
      onCommand(r.command);
      setResumeId(r.command.id);
      setResumeOpen(false);
    } catch (e) {
      setResumeError(message(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel kill" aria-labelledby="kill-h" data-testid="kill-switch">
      <div className="panel-head">
        <h2 id="kill-h">Kill switch</h2>
        <span className={`trading-state ts-${tradingState?.state ?? 'unknown'}`}>
          {tradingState?.state ?? '—'}
        </span>
      </div>
      <p className="warning" id="kill-warning">
        Emergency stop for the whole {token ?? ''} account: trading is <strong>HALTED</strong>, every open
        order is cancelled and <strong>every position is closed at market</strong>. It cannot be undone;
        trading stays halted until someone re-arms it.
      </p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) void fire();
        }}
      >
        <label className="check">
          <input
            type="checkbox"
            name="killAck"
            checked={ack}
            onChange={(e) => setAck(e.target.checked)}
            aria-describedby="kill-warning"
          />
          <span>I understand: this closes every position and cancels every open order.</span>
        </label>
        <div className="row-2">
          <label className="field">
            <span>
              Type <code>{token ?? '…'}</code> to confirm
            </span>
            <input
              name="killToken"
              value={typed}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={typed !== '' && !tokenOk}
              onChange={(e) => setTyped(e.target.value)}
            />
          </label>
          <label className="field">
            <span>Reason (optional)</span>
            <input
              name="killReason"
              value={reason}
              maxLength={200}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
        </div>
        <button type="submit" className="btn btn-danger btn-wide" disabled={!ready}>
          {busy ? 'Sending…' : 'Flatten everything and halt'}
        </button>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
      {kill.command?.result && 'flat' in kill.command.result ? (
        <p
          className={kill.command.result.flat === true ? 'flat-verdict tone-gain' : 'flat-verdict tone-loss'}
          data-testid="kill-flat"
          role="status"
        >
          {kill.command.result.flat === true
            ? '✓ Verified flat: no positions and no open orders at the broker.'
            : '✕ NOT verified flat: check positions and open orders now.'}
        </p>
      ) : null}
      <CommandStatus command={kill.command} error={kill.error} testId="kill-command" />

      <div className="resume">
        <p className="muted small">
          {halted
            ? `Trading is halted${tradingState?.reason ? ` (${tradingState.reason})` : ''}. Re-arming lets new orders through again.`
            : 'Re-arm trading after a halt.'}
        </p>
        <button
          type="button"
          className="btn"
          disabled={!halted && tradingState?.state !== 'REDUCING'}
          onClick={() => {
            setResumeOpen(true);
            setResumeTyped('');
            setResumeReason('');
            setResumeError(null);
            setResumeKey(newKey());
          }}
        >
          Re-arm trading…
        </button>
        <CommandStatus command={resume.command} error={resume.error} testId="resume-command" />
      </div>

      <Dialog
        open={resumeOpen}
        title="Re-arm trading?"
        confirmLabel="Re-arm trading"
        canConfirm={
          token !== null && resumeTyped.trim().toUpperCase() === token && resumeReason.trim() !== ''
        }
        busy={busy}
        onConfirm={() => void fireResume()}
        onCancel={() => setResumeOpen(false)}
        testId="resume-dialog"
      >
        <p>New orders will be accepted again (state ACTIVE). Check the account is as you expect first.</p>
        <label className="field">
          <span>
            Type <code>{token ?? '…'}</code> to confirm
          </span>
          <input
            name="resumeToken"
            value={resumeTyped}
            autoComplete="off"
            onChange={(e) => setResumeTyped(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Reason (optional)</span>
          <input
            name="resumeReason"
            value={resumeReason}
            maxLength={200}
            onChange={(e) => setResumeReason(e.target.value)}
          />
        </label>
        {resumeError ? (
          <p className="error" role="alert">
            {resumeError}
          </p>
        ) : null}
      </Dialog>
    </section>
  );
}
