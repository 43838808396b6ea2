/**
 * The order ticket's form state to a draft body (POST /commands/draft), with the checks a person
 * should see before anything is sent: a symbol, a positive amount, the prices the order type
 * needs. The API validates again; this only keeps obvious mistakes on the page.
 */
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit';
export type AmountKind = 'qty' | 'notional';

export interface TicketForm {
  symbol: string;
  side: 'buy' | 'sell';
  amountKind: AmountKind;
  amount: string;
  type: OrderType;
  timeInForce: 'day' | 'gtc' | 'ioc' | 'fok' | 'opg' | 'cls';
  limitPrice: string;
  stopPrice: string;
}

export const EMPTY_TICKET: TicketForm = {
  symbol: '',
  side: 'buy',
  amountKind: 'qty',
  amount: '',
  type: 'market',
  timeInForce: 'day',
  limitPrice: '',
  stopPrice: '',
};

const DECIMAL = /^\d+(\.\d+)?$/;

export function needsLimit(type: OrderType): boolean {
  return type === 'limit' || type === 'stop_limit';
}

export function needsStop(type: OrderType): boolean {
  return type === 'stop' || type === 'stop_limit';
}

function positive(value: string): boolean {
  return DECIMAL.test(value) && Number(value) > 0;
}

/** Field name -> problem, empty when the form can be sent. */
export function ticketErrors(form: TicketForm): Record<string, string> {
  const errors: Record<string, string> = {};
  const symbol = form.symbol.trim().toUpperCase();
  if (!/^[A-Z][A-Z0-9.]{0,9}$/.test(symbol)) errors.symbol = 'Enter a ticker symbol, e.g. AAPL.';
  if (!positive(form.amount.trim()))
    errors.amount =
      form.amountKind === 'qty' ? 'Enter a positive quantity.' : 'Enter a positive dollar amount.';
  if (needsLimit(form.type) && !positive(form.limitPrice.trim())) errors.limitPrice = 'Enter a limit price.';
  if (needsStop(form.type) && !positive(form.stopPrice.trim())) errors.stopPrice = 'Enter a stop price.';
  return errors;
}

/** The draft body for a valid form (call ticketErrors first). */
export function draftBody(form: TicketForm): Record<string, string> {
  const body: Record<string, string> = {
    symbol: form.symbol.trim().toUpperCase(),
    side: form.side,
    type: form.type,
    time_in_force: form.timeInForce,
    [form.amountKind]: form.amount.trim(),
  };
  if (needsLimit(form.type)) body.limit_price = form.limitPrice.trim();
  if (needsStop(form.type)) body.stop_price = form.stopPrice.trim();
  return body;
}

/**
 * The phrase a person types to confirm a live order, built from the draft's own intent exactly as
 * the API builds it ("BUY 10 AAPL", "SELL $500 AAPL"). The API never sends the phrase: the
 * person reads the order and types it.
 */
export function confirmPhraseFor(intent: {
  side?: unknown;
  symbol?: unknown;
  qty?: unknown;
  notional?: unknown;
}): string {
  const amount = typeof intent.qty === 'string' ? intent.qty : `$${String(intent.notional ?? '?')}`;
  return `${String(intent.side ?? '').toUpperCase()} ${amount} ${String(intent.symbol ?? '')}`;
}

/** Live confirm phrases compare like the API: case and spacing do not matter. */
export function phraseMatches(typed: string, expected: string | null): boolean {
  if (expected === null) return true;
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toUpperCase();
  return norm(typed) === norm(expected);
}
