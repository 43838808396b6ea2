/**
 * The order ticket: form -> POST /commands/draft -> preview card with the risk verdict (each
 * denial in plain words) and the expiry countdown -> confirm dialog (the typed phrase in live)
 * -> POST /commands/confirm -> the command followed to its result. Nothing reaches the broker
 * without the confirm; a denied or expired draft cannot be confirmed. The live phrase is built
 * here from the draft's side, amount and symbol: the API never sends it.
 */
import { useState } from 'react';
import { ApiError, newKey, post } from '../api/client';
import type { Command, Draft } from '../api/types';
import { denials } from '../lib/denials';
import { fmtFraction, fmtMoney, fmtPrice, fmtQty, secondsLeft } from '../lib/format';
import {
  confirmPhraseFor,
  draftBody,
  EMPTY_TICKET,
  needsLimit,
  needsStop,
  phraseMatches,
  type TicketForm,
  ticketErrors,
} from '../lib/ticket';
import { useCommand } from '../state/useLive';
import { CommandStatus } from './CommandStatus';
import { Dialog } from './Dialog';

interface Props {
  environment: 'paper' | 'live' | null;
  commands: Command[];
  onCommand: (c: Command) => void;
  now: number;
}

function describeError(e: unknown): string {
  if (!(e instanceof ApiError)) return String(e);
  const fields = (e.details?.fields as Array<{ field: string; message: string }> | undefined) ?? [];
  const extra = fields.length ? `: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}` : '';
  return `${e.message}${extra} (${e.code})`;
}

function intentLine(d: Draft): string {
  const i = d.intent as Record<string, string | undefined>;
  const amount = i.qty ? fmtQty(i.qty) : `$${i.notional ?? '?'}`;
  const px = [
    i.stop_price ? `stop ${fmtPrice(i.stop_price)}` : '',
    i.limit_price ? `limit ${fmtPrice(i.limit_price)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `${(i.side ?? '').toUpperCase()} ${amount} ${i.symbol} · ${String(i.type).replace(/_/g, ' ')} ${px} · ${String(i.time_in_force ?? '').toUpperCase()}`;
}

export function OrderTicket({ environment, commands, onCommand, now }: Props) {
  const [form, setForm] = useState<TicketForm>(EMPTY_TICKET);
  const [touched, setTouched] = useState(false);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [phrase, setPhrase] = useState('');
  const [confirmKey, setConfirmKey] = useState('');
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [followId, setFollowId] = useState<string | null>(null);
  const followed = useCommand(followId, commands);

  const errors = ticketErrors(form);
  const set = <K extends keyof TicketForm>(k: K, v: TicketForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const left = draft ? secondsLeft(draft.expires_at, now) : 0;
  const expired = draft !== null && left === 0;
  const live = environment === 'live';
  const expectedPhrase = live && draft ? confirmPhraseFor(draft.intent) : null;
  const phraseOk = !live || (expectedPhrase !== null && phraseMatches(phrase, expectedPhrase));

  const submitDraft = async () => {
    setTouched(true);
    if (Object.keys(errors).length) return;
    setBusy(true);
    setError(null);
    setDraft(null);
    setFollowId(null);
    try {
      setDraft(await post<Draft>('/commands/draft', draftBody(form), newKey()));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!draft) return;
    setBusy(true);
    setConfirmError(null);
    try {
      const body: Record<string, string> = { draft_id: draft.id };
      if (expectedPhrase !== null) body.confirm_phrase = phrase;
      const r = await post<{ command: Command }>('/commands/confirm', body, confirmKey);
      onCommand(r.command);
      setFollowId(r.command.id);
      setConfirming(false);
    } catch (e) {
      setConfirmError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (k: string) =>
    touched && errors[k] ? (
      <span className="field-error" id={`t-${k}-err`}>
        {errors[k]}
      </span>
    ) : null;
  const describedBy = (k: string) => (touched && errors[k] ? `t-${k}-err` : undefined);
  const denied = draft ? denials(draft.verdict.checks) : [];

  return (
    <section className="panel ticket" aria-labelledby="ticket-h" data-testid="order-ticket">
      <div className="panel-head">
        <h2 id="ticket-h">Order ticket</h2>
        <span className="muted small">draft → preview → confirm</span>
      </div>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submitDraft();
        }}
      >
        <div className="row-2">
          <label className="field">
            <span>Symbol</span>
            <input
              name="symbol"
              value={form.symbol}
              autoComplete="off"
              spellCheck={false}
              placeholder="AAPL"
              aria-invalid={touched && !!errors.symbol}
              aria-describedby={describedBy('symbol')}
              onChange={(e) => set('symbol', e.target.value.toUpperCase())}
            />
            {fieldError('symbol')}
          </label>
          <fieldset className="field seg">
            <legend>Side</legend>
            {(['buy', 'sell'] as const).map((s) => (
              <label key={s} className={`seg-opt seg-${s} ${form.side === s ? 'on' : ''}`}>
                <input
                  type="radio"
                  name="side"
                  value={s}
                  checked={form.side === s}
                  onChange={() => set('side', s)}
                />
                {s === 'buy' ? 'Buy' : 'Sell'}
              </label>
            ))}
          </fieldset>
        </div>
        <div className="row-2">
          <label className="field">
            <span>Amount in</span>
            <select
              name="amountKind"
              value={form.amountKind}
              onChange={(e) => set('amountKind', e.target.value as TicketForm['amountKind'])}
            >
              <option value="qty">shares</option>
              <option value="notional">dollars</option>
            </select>
          </label>
          <label className="field">
            <span>{form.amountKind === 'qty' ? 'Quantity' : 'Dollar amount'}</span>
            <input
              name="amount"
              inputMode="decimal"
              value={form.amount}
              autoComplete="off"
              aria-invalid={touched && !!errors.amount}
              aria-describedby={describedBy('amount')}
              onChange={(e) => set('amount', e.target.value)}
            />
            {fieldError('amount')}
          </label>
        </div>
        <div className="row-2">
          <label className="field">
            <span>Order type</span>
            <select
              name="type"
              value={form.type}
              onChange={(e) => set('type', e.target.value as TicketForm['type'])}
            >
              <option value="market">market</option>
              <option value="limit">limit</option>
              <option value="stop">stop</option>
              <option value="stop_limit">stop limit</option>
            </select>
          </label>
          <label className="field">
            <span>Time in force</span>
            <select
              name="timeInForce"
              value={form.timeInForce}
              onChange={(e) => set('timeInForce', e.target.value as TicketForm['timeInForce'])}
            >
              <option value="day">DAY</option>
              <option value="gtc">GTC</option>
              <option value="ioc">IOC</option>
              <option value="fok">FOK</option>
              <option value="opg">OPG</option>
              <option value="cls">CLS</option>
            </select>
          </label>
        </div>
        {needsStop(form.type) || needsLimit(form.type) ? (
          <div className="row-2">
            {needsStop(form.type) ? (
              <label className="field">
                <span>Stop price</span>
                <input
                  name="stopPrice"
                  inputMode="decimal"
                  value={form.stopPrice}
                  aria-invalid={touched && !!errors.stopPrice}
                  aria-describedby={describedBy('stopPrice')}
                  onChange={(e) => set('stopPrice', e.target.value)}
                />
                {fieldError('stopPrice')}
              </label>
            ) : null}
            {needsLimit(form.type) ? (
              <label className="field">
                <span>Limit price</span>
                <input
                  name="limitPrice"
                  inputMode="decimal"
                  value={form.limitPrice}
                  aria-invalid={touched && !!errors.limitPrice}
                  aria-describedby={describedBy('limitPrice')}
                  onChange={(e) => set('limitPrice', e.target.value)}
                />
                {fieldError('limitPrice')}
              </label>
            ) : null}
          </div>
        ) : null}
        <button type="submit" className="btn btn-primary btn-wide" disabled={busy}>
          {busy && !confirming ? 'Checking…' : 'Preview order'}
        </button>
        {error ? (
          <p className="error" role="alert" data-testid="ticket-error">
            {error}
          </p>
        ) : null}
      </form>

      {draft ? (
        <div
          className={`preview ${draft.verdict.allowed ? 'allowed' : 'denied'}`}
          data-testid="draft-preview"
          aria-live="polite"
        >
          <div className="preview-head">
            <strong data-testid="draft-intent">{intentLine(draft)}</strong>
            <span
              className={expired ? 'countdown expired' : left <= 10 ? 'countdown soon' : 'countdown'}
              data-testid="draft-countdown"
            >
              {expired ? 'expired' : `expires in ${left} s`}
            </span>
          </div>
          <dl className="facts">
            <div>
              <dt>Est. price</dt>
              <dd className="num">{fmtPrice(draft.preview.estimated_price)}</dd>
            </div>
            <div>
              <dt>Est. notional</dt>
              <dd className="num">{fmtMoney(draft.preview.estimated_notional)}</dd>
            </div>
            <div>
              <dt>Share of equity</dt>
              <dd className="num">{fmtFraction(draft.preview.share_of_equity, false)}</dd>
            </div>
            <div>
              <dt>Buying power after</dt>
              <dd className="num">{fmtMoney(draft.preview.buying_power_after)}</dd>
            </div>
            <div>
              <dt>Position after</dt>
              <dd className="num">{fmtQty(draft.preview.resulting_position_qty)}</dd>
            </div>
          </dl>
          <div className="verdict" data-testid="verdict" data-allowed={String(draft.verdict.allowed)}>
            {draft.verdict.allowed ? (
              <p className="tone-gain">✓ Risk checks passed ({draft.verdict.checks.length})</p>
            ) : (
              <>
                <p className="tone-loss">✕ Denied by the risk checks — this draft cannot be confirmed.</p>
                <ul className="denials">
                  {denied.map((d) => (
                    <li key={`${d.check}-${d.code}`} data-testid="denial" data-code={d.code}>
                      <strong>{d.explanation}</strong>
                      <span className="muted small">
                        {' '}
                        <code>{d.code}</code> · {d.detail}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
            <details>
              <summary>All checks</summary>
              <ul className="checks">
                {draft.verdict.checks.map((c) => (
                  <li key={c.check} className={c.passed ? 'tone-gain' : 'tone-loss'}>
                    {c.passed ? '✓' : '✕'} {c.check}: {c.message}
                  </li>
                ))}
              </ul>
            </details>
          </div>
          {followId === null ? (
            <button
              type="button"
              className="btn btn-primary btn-wide"
              disabled={!draft.verdict.allowed || expired || draft.status !== 'staged'}
              onClick={() => {
                setConfirming(true);
                setPhrase('');
                setConfirmError(null);
                setConfirmKey(newKey());
              }}
            >
              Review and confirm…
            </button>
          ) : null}
          <CommandStatus command={followed.command} error={followed.error} testId="order-command" />
        </div>
      ) : null}

      <Dialog
        open={confirming && draft !== null}
        title={live ? 'Confirm LIVE order' : 'Confirm order'}
        confirmLabel={live ? 'Send LIVE order' : 'Send order'}
        canConfirm={phraseOk && !expired}
        busy={busy}
        danger={live}
        onConfirm={() => void confirm()}
        onCancel={() => setConfirming(false)}
        testId="confirm-dialog"
      >
        {draft ? (
          <>
            <p className="big">{intentLine(draft)}</p>
            <p>
              Estimated {fmtMoney(draft.preview.estimated_notional)} at{' '}
              {fmtPrice(draft.preview.estimated_price)}. The engine checks the risk rules again before it
              sends the order. {expired ? 'The draft has expired.' : `Expires in ${left} s.`}
            </p>
            {expectedPhrase !== null ? (
              <label className="field">
                <span>
                  This is real money. Type <code className="phrase">{expectedPhrase}</code> to confirm
                </span>
                <input
                  name="confirmPhrase"
                  value={phrase}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => setPhrase(e.target.value)}
                />
              </label>
            ) : null}
            {confirmError ? (
              <p className="error" role="alert">
                {confirmError}
              </p>
            ) : null}
          </>
        ) : null}
      </Dialog>
    </section>
  );
}
