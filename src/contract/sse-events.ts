/**
 * The kinds of event GET /events sends (the SSE `event:` field). The API's change feed emits
 * them and the UI's live state applies them; both take the list from here, so a kind is never
 * spelt in two places. The engine's change notifications name the same kinds (a change of one
 * kind becomes the SSE event of that kind). The payload of each kind is owned by the change feed
 * (src/api) and documented in docs/api.md; this file names the kinds only.
 */

export const SSE_EVENT_KINDS = [
  'positions',
  'orders',
  'fills',
  'account',
  'commands',
  'engine',
  'trading_state',
] as const;

export type SseEventKind = (typeof SSE_EVENT_KINDS)[number];

/** True for a kind the API sends; the UI ignores any other `event:` value. */
export function isSseEventKind(value: string): value is SseEventKind {
  return (SSE_EVENT_KINDS as readonly string[]).includes(value);
}
