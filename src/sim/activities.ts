/**
 * GET /v2/account/activities[/{type}]: FILL activities (one per execution) with Alpaca's filters
 * and page_token pagination.
 * Must preserve: results start strictly after page_token in the chosen direction, so a token for
 * the last item yields `[]` (the SDK's iterator stops on an empty page).
 */
import type { BrokerState } from './broker-state.js';
import { simErrors } from './errors.js';
import { first, instant, int, list, oneOf, type Query } from './query.js';
import { addDays, etInstant } from './session-calendar.js';

const ACTIVITY_TYPES = new Set(
  'FILL TRANS MISC ACATC ACATS CFEE CGD CSD CSW DIV DIVCGL DIVCGS DIVFEE DIVFT DIVNRA DIVROC DIVTW DIVTXEX FEE INT INTNRA INTTW JNL JNLC JNLS MA NC OPASN OPCA OPCSH OPEXC OPEXP OPTRD PTC PTR REORG SPIN SPLIT FOPT OPXRC SC SSO SSP'.split(
    ' ',
  ),
);

function window(q: Query): { after: number | null; until: number | null } {
  const date = first(q, 'date');
  const after = instant(q, 'after');
  const until = instant(q, 'until');
  if (date === undefined) return { after, until };
  if (after !== null || until !== null)
    throw simErrors.invalid('date cannot be combined with after or until');
  const day = date.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw simErrors.invalid(`invalid date: ${date}`);
  return { after: etInstant(day, '00:00') - 1, until: etInstant(addDays(day, 1), '00:00') };
}

function wantsFills(q: Query, pathType: string | null): boolean {
  const types = pathType !== null ? [pathType] : list(q, 'activity_types');
  const category = first(q, 'category');
  if (types && category) throw simErrors.invalid('category cannot be combined with activity_types');
  if (category !== undefined && category !== 'trade_activity' && category !== 'non_trade_activity') {
    throw simErrors.invalid(`invalid category: ${category}`);
  }
  for (const t of types ?? [])
    if (!ACTIVITY_TYPES.has(t)) throw simErrors.invalid(`invalid activity type: ${t}`);
  if (category === 'non_trade_activity') return false;
  return types === null || types.includes('FILL');
}

export function listActivities(s: BrokerState, q: Query, pathType: string | null): Record<string, unknown>[] {
  const fills = wantsFills(q, pathType);
  const { after, until } = window(q);
  const direction = oneOf(q, 'direction', ['asc', 'desc'] as const, 'desc');
  const dateGiven = first(q, 'date') !== undefined;
  const pageSize = int(
    q,
    'page_size',
    dateGiven ? Number.MAX_SAFE_INTEGER : 100,
    1,
    dateGiven ? Number.MAX_SAFE_INTEGER : 100,
  );
  const token = first(q, 'page_token');
  if (!fills) return [];
  let items = s.activities.filter(
    (a) => (after === null || a.at > after) && (until === null || a.at < until),
  );
  if (direction === 'desc') items = items.reverse();
  if (token !== undefined) {
    const index = items.findIndex((a) => a.wire.id === token);
    if (index < 0) throw simErrors.invalid('invalid page_token');
    items = items.slice(index + 1);
  }
  return items.slice(0, pageSize).map((a) => a.wire);
}
