/**
 * Draft integrity and "not blank" (issue 13, items 7 and 9, API side): a staged draft edited in
 * the database is refused at confirm with draft_integrity_failed, audited as
 * draft.integrity_failed, and nothing is queued; a reason made only of invisible characters is
 * blank.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isBlank, visibleText } from '../../src/core/visible-text.js';
import { type Harness, harness, marketBuy, PROFILE, seedMarket } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());
const open = async () => {
  h = await harness();
  await seedMarket(h.store);
  return h;
};
const post = (url: string, payload: object) => h.request({ method: 'POST', url, payload });

describe('draft integrity at confirm', () => {
  it('refuses and audits a staged draft whose stored intent was edited, queuing nothing', async () => {
    await open();
    const draft = (await post('/commands/draft', marketBuy)).json();
    const edited = JSON.stringify({ ...draft.intent, qty: '1000' });
    await h.db.updateTable('drafts').set({ intent: edited }).where('id', '=', draft.id).execute();

    const r = await post('/commands/confirm', { draft_id: draft.id });
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toMatchObject({ code: 'draft_integrity_failed', details: { draft_id: draft.id } });
    expect(await h.commandCount()).toBe(0);
    expect(await h.busEntries()).toBe(0);

    const events = await h.store.audit.list(PROFILE, {});
    const failed = events.filter((e) => e.action === 'draft.integrity_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      subjectType: 'draft',
      subjectId: draft.id,
      correlationId: r.headers['x-request-id'],
      data: { draftId: draft.id, storedHash: draft.content_hash },
    });
    expect(failed[0]?.data.computedHash).not.toBe(draft.content_hash);
    expect(events.filter((e) => e.action === 'request.refused')).toHaveLength(0);
  });

  it('refuses an edited content hash too', async () => {
    await open();
    const draft = (await post('/commands/draft', marketBuy)).json();
    await h.db
      .updateTable('drafts')
      .set({ content_hash: '0'.repeat(64) })
      .where('id', '=', draft.id)
      .execute();
    expect((await post('/commands/confirm', { draft_id: draft.id })).json().error.code).toBe(
      'draft_integrity_failed',
    );
    expect(await h.commandCount()).toBe(0);
  });
});

const INVISIBLE = [
  '\u200B',
  '\u200C\u200D',
  '\u2060',
  '\uFEFF',
  '\u00A0\u00A0',
  '\u200E\u200F',
  '\u202A\u202C',
  '\u2066\u2069',
  '\u3000',
  ' \t\r\n',
  '\u0007',
  '\u200B \u00A0\uFEFF\u2060',
];

describe('blank reasons', () => {
  it('counts whitespace, separators, format and control characters as nothing', () => {
    for (const text of INVISIBLE) expect(isBlank(text), JSON.stringify(text)).toBe(true);
    for (const text of ['x', '\u200Bx\u200B', 'drill over', 'é']) expect(isBlank(text), text).toBe(false);
    expect(visibleText('\u200Bdrill\u00A0over')).toBe('drillover');
  });

  it('refuses a resume whose reason is only invisible characters, storing nothing', async () => {
    await open();
    for (const reason of INVISIBLE) {
      const r = await post('/commands/resume', { confirm_token: 'PAPER', reason });
      expect(r.statusCode, JSON.stringify(reason)).toBe(422);
      expect(r.json().error).toMatchObject({
        code: 'validation_failed',
        details: { fields: [{ field: 'reason', in: 'body' }] },
      });
    }
    expect(await h.commandCount()).toBe(0);
    expect(
      (await post('/commands/resume', { confirm_token: 'PAPER', reason: '\u200Bdrill over' })).statusCode,
    ).toBe(202);
  });

  it('gives a kill switch with an invisible reason the default reason', async () => {
    await open();
    const r = await post('/commands/kill-switch', { confirm_token: 'PAPER', reason: '\u200B\u2060' });
    expect(r.statusCode).toBe(202);
    expect(r.json().command.payload.reason).toBe('kill switch from the API');
  });
});
