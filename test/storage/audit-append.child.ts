/**
 * A separate process for the store suite: appends `count` audit events to one profile's chain,
 * so a test can prove that two processes sharing a SQLite file never fork the chain.
 * Usage: node --import tsx test/storage/audit-append.child.ts <database-url> <profile> <count>
 */
import { openStore } from '../../src/adapters/storage/kysely-store.js';

const [url, profileId, count] = process.argv.slice(2) as [string, string, string];
const store = await openStore(url);
try {
  for (let i = 0; i < Number(count); i++) {
    await store.audit.append({
      profileId,
      at: new Date().toISOString(),
      actor: `pid-${process.pid}`,
      action: 'test.append',
      reason: null,
      subjectType: null,
      subjectId: null,
      correlationId: null,
      data: { i },
    });
  }
} finally {
  await store.close();
}
