/**
 * Client order ids: the id Centaur gives the broker for each order it places, derived from what
 * is being executed (`ctr-draft-<draft id>` for a confirmed draft, `ctr-command-<command id>` for
 * a command without one), so a retry or a redelivery is recognised by the broker and can never
 * double an order. One function builds them and one parses them; nothing else spells the prefix.
 * Must preserve: the format of ids already at the broker (reconciliation and fills are tied back
 * to drafts and commands by parsing them), and Alpaca's limit of 128 characters.
 */

/** Every id Centaur places starts with this; an order without it was placed outside Centaur. */
export const CLIENT_ORDER_ID_PREFIX = 'ctr-';

export const CLIENT_ORDER_ID_KINDS = ['draft', 'command'] as const;
export type ClientOrderIdKind = (typeof CLIENT_ORDER_ID_KINDS)[number];

/** Alpaca refuses longer client order ids. */
export const CLIENT_ORDER_ID_MAX_LENGTH = 128;

/** The client order id for the draft or command `id`. */
export function clientOrderIdFor(kind: ClientOrderIdKind, id: string): string {
  return `${CLIENT_ORDER_ID_PREFIX}${kind}-${id}`.slice(0, CLIENT_ORDER_ID_MAX_LENGTH);
}

export interface ParsedClientOrderId {
  kind: ClientOrderIdKind;
  id: string;
}

/** What a client order id was built from, or null for one Centaur did not build. */
export function parseClientOrderId(clientOrderId: string): ParsedClientOrderId | null {
  for (const kind of CLIENT_ORDER_ID_KINDS) {
    const head = `${CLIENT_ORDER_ID_PREFIX}${kind}-`;
    if (clientOrderId.startsWith(head) && clientOrderId.length > head.length) {
      return { kind, id: clientOrderId.slice(head.length) };
    }
  }
  return null;
}

/** True for an order Centaur placed (false: placed at the broker by someone else). */
export function isCentaurClientOrderId(clientOrderId: string): boolean {
  return clientOrderId.startsWith(CLIENT_ORDER_ID_PREFIX);
}
