/**
 * The wire form of a change on the Postgres and Redis channels: compact JSON
 * `{"v":1,"p":"<profile>","k":"<kind>","i":["<id>",...]}` (ids optional, at most MAX_CHANGE_IDS,
 * each at most 200 characters, so a payload stays far below Postgres's 8000-byte NOTIFY limit).
 * Parsed with a schema, never cast: anything else (another version, a foreign publisher) is null.
 */
import { z } from 'zod';
import { CHANGE_KINDS, type Change, MAX_CHANGE_IDS } from '../../ports/change-notifier.js';

const MAX_ID_LENGTH = 200;

const wireSchema = z.object({
  v: z.literal(1),
  p: z.string().min(1).max(200),
  k: z.enum(CHANGE_KINDS),
  i: z.array(z.string().max(MAX_ID_LENGTH)).max(MAX_CHANGE_IDS).optional(),
});

/** The ids a change may carry: none when there are too many (the kind alone says enough). */
export function boundedIds(ids: readonly string[] | undefined): string[] | undefined {
  if (ids === undefined || ids.length === 0 || ids.length > MAX_CHANGE_IDS) return undefined;
  if (ids.some((id) => id.length > MAX_ID_LENGTH)) return undefined;
  return [...ids];
}

export function encodeChange(change: Change): string {
  const ids = boundedIds(change.ids);
  return JSON.stringify({ v: 1, p: change.profileId, k: change.kind, ...(ids ? { i: ids } : {}) });
}

export function decodeChange(text: string): Change | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = wireSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { p, k, i } = parsed.data;
  return { profileId: p, kind: k, ...(i ? { ids: i } : {}) };
}
