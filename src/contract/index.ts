/**
 * The contract between the engine, the API and the UI: every name they must spell the same way
 * (see README.md). Import from here, or from the file of one subject.
 */
export * from './audit-actions.js';
export * from './client-order-id.js';
export * from './command-payloads.js';
export * from './commands.js';
export * from './order-status.js';
export * from './sse-events.js';
export * from './stream-state.js';
export * from './watermarks.js';
