/**
 * The contract the page shares with the engine and the API (src/contract): stream states, order
 * and command statuses, denial codes, SSE event kinds, audit actions. The one path from the UI to
 * it, so every UI module imports the contract from '../contract' and never copies a list. (The
 * watermarks, with their zod schemas, are the engine's and the API's business: not bundled.) The
 * retry/backoff policy (src/core/backoff.ts, pure) comes the same way, so the event stream
 * reconnects under the same policy as the engine.
 */
export * from '../../src/contract/audit-actions.js';
export * from '../../src/contract/client-order-id.js';
export * from '../../src/contract/commands.js';
export * from '../../src/contract/order-status.js';
export * from '../../src/contract/sse-events.js';
export * from '../../src/contract/stream-state.js';
export * from '../../src/core/backoff.js';
