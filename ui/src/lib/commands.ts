/**
 * Command helpers: which statuses are final, a one-line summary of a command for the log, and
 * the per-symbol report a kill switch leaves in its result. The kill-switch result shape is the
 * engine's; this reads any array of objects with a `symbol` in it, so the table follows the
 * engine without a UI change.
 */
import type { Command } from '../api/types';
import { isTerminalCommandStatusText } from '../contract';

/** A command in a terminal status (the contract's set): it will not change again. */
export function isFinal(status: string): boolean {
  return isTerminalCommandStatusText(status);
}

export function commandError(c: Pick<Command, 'error'>): string | null {
  if (c.error === null || c.error === undefined) return null;
  if (typeof c.error === 'string') return c.error;
  return [c.error.code, c.error.message].filter(Boolean).join(': ') || null;
}

/** "buy 2 AAPL market", "cancel order 1a2b…", "kill switch", from the payload. */
export function commandSummary(c: Pick<Command, 'type' | 'payload'>): string {
  const p = (c.payload ?? {}) as Record<string, unknown>;
  const intent = (p.intent ?? p) as Record<string, unknown>;
  switch (c.type) {
    case 'submit_order': {
      const amount = intent.qty ?? (intent.notional ? `$${String(intent.notional)}` : '?');
      return `${String(intent.side ?? '')} ${String(amount)} ${String(intent.symbol ?? '')} ${String(intent.type ?? '')}`.trim();
    }
    case 'cancel_order':
      return `cancel order ${String(p.order_id ?? '').slice(0, 8)}`;
    case 'kill_switch':
      return p.reason ? `kill switch: ${String(p.reason)}` : 'kill switch';
    case 'resume':
      return p.reason ? `resume trading: ${String(p.reason)}` : 'resume trading';
    default:
      return c.type;
  }
}

export interface ReportTable {
  title: string;
  columns: string[];
  rows: Array<Record<string, string>>;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Every array of per-symbol objects in a result (one level deep, or nested one more). */
export function symbolReports(result: Record<string, unknown> | null): ReportTable[] {
  if (!result) return [];
  const tables: ReportTable[] = [];
  const visit = (value: unknown, title: string, depth: number) => {
    if (Array.isArray(value)) {
      const objects = value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
      if (objects.length > 0 && objects.every((o) => 'symbol' in o)) {
        const columns = [
          'symbol',
          ...new Set(objects.flatMap((o) => Object.keys(o)).filter((k) => k !== 'symbol')),
        ];
        tables.push({
          title,
          columns,
          rows: objects.map((o) => Object.fromEntries(columns.map((k) => [k, cell(o[k])]))),
        });
      }
      return;
    }
    if (depth < 2 && typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) visit(v, title ? `${title}.${k}` : k, depth + 1);
    }
  };
  visit(result, '', 0);
  return tables;
}

/** Long ids are cut to their first 8 characters (the full value stays in the command log). */
export function shorten(text: string): string {
  return text.length > 24 && !/\s/.test(text) ? `${text.slice(0, 8)}…` : text;
}

/** The scalar facts of a result (flat, e.g. halted: true, flat: true), for a summary line. */
export function resultFacts(result: Record<string, unknown> | null): Array<[string, string]> {
  if (!result) return [];
  return Object.entries(result)
    .filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
    .map(([k, v]) => [k, shorten(String(v))]);
}
