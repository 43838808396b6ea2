/**
 * Number, money and time formatting for the page. Inputs are the API's decimal strings; a
 * missing or unparseable value renders as an em dash, never "NaN". Display only: no arithmetic
 * result here feeds back into an order.
 */
const DASH = '—';

/** A decimal string (or number) to a finite number, or null. */
export function num(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

const money = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** Rounds to `digits` and turns -0 into 0, so a loss of a fraction of a cent reads 0.00. */
function rounded(n: number, digits: number): number {
  const r = Number(n.toFixed(digits));
  return r === 0 ? 0 : r;
}

/** $1,234.56; negative as -$1,234.56. */
export function fmtMoney(value: string | number | null | undefined): string {
  const n = num(value);
  return n === null ? DASH : money.format(rounded(n, 2));
}

/** Like fmtMoney but with an explicit + for gains (P&L columns). */
export function fmtSignedMoney(value: string | number | null | undefined): string {
  const n = num(value);
  if (n === null) return DASH;
  const r = rounded(n, 2);
  return r > 0 ? `+${money.format(r)}` : money.format(r);
}

/** A percentage given in percent units ("1.5" -> +1.50%). */
export function fmtPct(value: string | number | null | undefined, signed = true, digits = 2): string {
  const n = num(value);
  if (n === null) return DASH;
  const r = rounded(n, digits);
  const text = `${r.toFixed(digits)}%`;
  return signed && r > 0 ? `+${text}` : text;
}

/** A fraction ("0.0411") as a percentage (+4.11%). */
export function fmtFraction(value: string | number | null | undefined, signed = true, digits = 2): string {
  const n = num(value);
  return n === null ? DASH : fmtPct(n * 100, signed, digits);
}

/** Quantities keep their decimals (fractional shares) without trailing zeros. */
export function fmtQty(value: string | number | null | undefined): string {
  const n = num(value);
  if (n === null) return DASH;
  return n.toLocaleString('en-US', { maximumFractionDigits: 9 });
}

/** Prices: two decimals at or above $1, four below. */
export function fmtPrice(value: string | number | null | undefined): string {
  const n = num(value);
  if (n === null) return DASH;
  const digits = Math.abs(n) < 1 && n !== 0 ? 4 : 2;
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** 'gain' | 'loss' | 'flat' for colouring a P&L figure. */
export function plTone(value: string | number | null | undefined): 'gain' | 'loss' | 'flat' {
  const n = num(value);
  if (n === null || rounded(n, 4) === 0) return 'flat';
  return n > 0 ? 'gain' : 'loss';
}

/** A duration in ms as "850 ms", "12 s", "3 min", "2 h". */
export function fmtAge(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  const v = Math.max(0, ms);
  if (v < 1_000) return `${Math.round(v)} ms`;
  if (v < 60_000) return `${Math.floor(v / 1_000)} s`;
  if (v < 3_600_000) return `${Math.floor(v / 60_000)} min`;
  return `${Math.floor(v / 3_600_000)} h`;
}

/** Milliseconds from an RFC 3339 time to `nowMs`, or null. */
export function ageMs(at: string | null | undefined, nowMs: number): number | null {
  if (!at) return null;
  const t = Date.parse(at);
  return Number.isFinite(t) ? nowMs - t : null;
}

/** HH:MM:SS in local time, with the date when it is not today. */
export function fmtTime(at: string | null | undefined, nowMs = Date.now()): string {
  if (!at) return DASH;
  const d = new Date(at);
  if (!Number.isFinite(d.getTime())) return DASH;
  const time = d.toLocaleTimeString('en-GB', { hour12: false });
  const sameDay = new Date(nowMs).toDateString() === d.toDateString();
  return sameDay ? time : `${d.toISOString().slice(0, 10)} ${time}`;
}

/** Whole seconds left until `at`, rounded down so a countdown never promises time it lacks. */
export function secondsLeft(at: string, nowMs: number): number {
  const t = Date.parse(at);
  if (!Number.isFinite(t)) return 0;
  return Math.max(0, Math.floor((t - nowMs) / 1000));
}
