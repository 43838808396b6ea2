/**
 * Reading audit events (GET /audit) for the audit panel: which fields are shown as columns, the
 * rest as compact details, and the action families (the part before the dot) to filter by.
 */
export const TIME_KEYS = ['at', 'occurred_at', 'created_at', 'timestamp'];
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

export function pick(e: Record<string, unknown>, keys: string[]): string | null {
  for (const k of keys) if (typeof e[k] === 'string') return e[k] as string;
  return null;
}

export function auditDetails(e: Record<string, unknown>): string {
  const rest = Object.fromEntries(Object.entries(e).filter(([k, v]) => !SHOWN.has(k) && v !== null));
  const text = JSON.stringify(rest);
  return text === '{}' ? '' : text.length > 240 ? `${text.slice(0, 240)}…` : text;
}

/** The action families a person filters by (the part of the action before the dot). */
export function actionFamilies(events: ReadonlyArray<Record<string, unknown>>): string[] {
  const families = new Set<string>();
  for (const e of events) if (typeof e.action === 'string') families.add(e.action.split('.')[0] ?? e.action);
  return [...families].sort();
}
