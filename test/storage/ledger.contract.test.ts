import { expect, it } from 'vitest';
import { at, makeFill, makePosition, makeSnapshot, T0 } from './fixtures.js';
import { describeStore, newProfile } from './store-harness.js';

await describeStore('store: fills', (h) => {
  it('stores a fill once per execution id', async () => {
    const profile = newProfile();
    const fill = makeFill({ clientOrderId: 'ctr-1', positionQty: null, source: 'activity' });
    expect(await h.store.fills.insert(profile, fill)).toBe(true);
    expect(await h.store.fills.insert(profile, { ...fill, qty: '999' })).toBe(false);
    expect(await h.store.fills.list(profile)).toEqual([fill]);
  });

  it('stores a replayed fill once under a concurrent race', async () => {
    const profile = newProfile();
    const fill = makeFill();
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => h.store.fills.insert(profile, fill)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('lists fills newest first by symbol, order, since and limit, and reports the latest time', async () => {
    const profile = newProfile();
    expect(await h.store.fills.latestAt(profile)).toBeNull();
    const f1 = makeFill({ at: '2026-08-03T13:30:00.9Z', symbol: 'AAPL', orderId: 'o1' });
    const f2 = makeFill({ at: '2026-08-03T13:30:00.10Z', symbol: 'MSFT', orderId: 'o2' });
    const f3 = makeFill({ at: '2026-08-03T13:30:00.123456789Z', symbol: 'AAPL', orderId: 'o1' });
    for (const f of [f1, f2, f3]) await h.store.fills.insert(profile, f);
    const ids = (fills: { executionId: string }[]) => fills.map((f) => f.executionId);
    expect(ids(await h.store.fills.list(profile))).toEqual([f1.executionId, f3.executionId, f2.executionId]);
    expect(ids(await h.store.fills.list(profile, { symbol: 'MSFT' }))).toEqual([f2.executionId]);
    expect(ids(await h.store.fills.list(profile, { orderId: 'o1' }))).toEqual([
      f1.executionId,
      f3.executionId,
    ]);
    expect(ids(await h.store.fills.list(profile, { since: '2026-08-03T13:30:00.12Z' }))).toEqual([
      f1.executionId,
      f3.executionId,
    ]);
    expect(ids(await h.store.fills.list(profile, { limit: 1 }))).toEqual([f1.executionId]);
    expect(await h.store.fills.latestAt(profile)).toBe('2026-08-03T13:30:00.9Z');
  });
});

await describeStore('store: positions', (h) => {
  it('lets a REST refresh and stream writes of new symbols run at once without a key conflict', async () => {
    // A refresh (delete all, insert the broker's view) racing stream writes that insert a symbol
    // the refresh's view also holds: on Postgres both must serialise, never collide on the key.
    const profile = newProfile();
    for (let round = 0; round < 20; round++) {
      const symbols = ['AAPL', 'MSFT', 'NVDA'].map((s) => `${s}${round}`);
      await Promise.all([
        h.store.positions.replaceAll(
          profile,
          symbols.map((symbol) => makePosition({ symbol })),
          at(round),
        ),
        ...symbols.map((symbol) => h.store.positions.applyStreamQty(profile, symbol, '3', '100', at(round))),
      ]);
      const held = (await h.store.positions.list(profile)).map((p) => p.symbol);
      expect(new Set(held)).toEqual(new Set(symbols));
    }
  });

  it('moves the positions revision on every write, and only for that profile', async () => {
    const profile = newProfile();
    const other = newProfile();
    expect(await h.store.positions.revision(profile)).toBeNull();
    await h.store.positions.replaceAll(profile, [makePosition({ symbol: 'AAPL' })], T0);
    const r1 = await h.store.positions.revision(profile);
    expect(r1).not.toBeNull();
    expect(await h.store.positions.revision(profile)).toBe(r1);
    await h.store.positions.applyStreamQty(profile, 'AAPL', '12', '100', at(5));
    const r2 = await h.store.positions.revision(profile);
    expect(r2).not.toBe(r1);
    await h.store.positions.applyStreamQty(profile, 'AAPL', '0', '100', at(6));
    expect(await h.store.positions.revision(profile)).not.toBe(r2);
    expect(await h.store.positions.revision(other)).toBeNull();
  });

  it('replaces all positions atomically with the REST view', async () => {
    const profile = newProfile();
    await h.store.positions.replaceAll(profile, [makePosition({ symbol: 'OLD' })], T0);
    const aapl = makePosition({ symbol: 'AAPL', provenance: 'stream', asOf: 'ignored' });
    const tsla = makePosition({ symbol: 'TSLA', qty: '-3', side: 'short', currentPrice: null });
    await h.store.positions.replaceAll(profile, [tsla, aapl], at(60));
    expect(await h.store.positions.list(profile)).toEqual([
      { ...aapl, asOf: at(60), provenance: 'rest' },
      { ...tsla, asOf: at(60), provenance: 'rest' },
    ]);
    await h.store.positions.replaceAll(profile, [], at(120));
    expect(await h.store.positions.list(profile)).toEqual([]);
  });

  it('keeps the previous positions when a replacement fails half way', async () => {
    const profile = newProfile();
    const before = makePosition({ symbol: 'KEEP' });
    await h.store.positions.replaceAll(profile, [before], T0);
    const dup = makePosition({ symbol: 'DUP' });
    await expect(h.store.positions.replaceAll(profile, [dup, dup], at(1))).rejects.toThrow();
    expect(await h.store.positions.list(profile)).toEqual([before]);
  });

  it('opens a position from a stream quantity at the fill price', async () => {
    const profile = newProfile();
    await h.store.positions.applyStreamQty(profile, 'NVDA', '4', '120.5', at(1));
    expect(await h.store.positions.list(profile)).toEqual([
      expect.objectContaining({
        symbol: 'NVDA',
        qty: '4',
        side: 'long',
        avgEntryPrice: '120.5',
        costBasis: '482',
        asOf: at(1),
        provenance: 'stream',
      }),
    ]);
  });

  it('weights the average entry when a stream quantity grows the position and keeps it when it shrinks', async () => {
    const profile = newProfile();
    await h.store.positions.replaceAll(profile, [makePosition({ qty: '10', avgEntryPrice: '100' })], T0);
    await h.store.positions.applyStreamQty(profile, 'AAPL', '20', '110', at(1));
    let [p] = await h.store.positions.list(profile);
    expect(p).toMatchObject({ qty: '20', avgEntryPrice: '105', provenance: 'stream', marketValue: '2200' });
    await h.store.positions.applyStreamQty(profile, 'AAPL', '5', '130', at(2));
    [p] = await h.store.positions.list(profile);
    expect(p).toMatchObject({ qty: '5', avgEntryPrice: '105', costBasis: '525', side: 'long' });
  });

  it('restarts the average entry and the side when a stream quantity flips the position', async () => {
    const profile = newProfile();
    await h.store.positions.applyStreamQty(profile, 'AAPL', '10', '100', at(1));
    await h.store.positions.applyStreamQty(profile, 'AAPL', '-4', '90', at(2));
    const [p] = await h.store.positions.list(profile);
    expect(p).toMatchObject({ qty: '-4', side: 'short', avgEntryPrice: '90', costBasis: '-360' });
  });

  it('removes a position when the stream reports zero', async () => {
    const profile = newProfile();
    await h.store.positions.replaceAll(profile, [makePosition()], T0);
    await h.store.positions.applyStreamQty(profile, 'AAPL', '0', '101', at(1));
    expect(await h.store.positions.list(profile)).toEqual([]);
  });

  it('ignores a stream quantity older than the stream value stored', async () => {
    const profile = newProfile();
    await h.store.positions.applyStreamQty(profile, 'AAPL', '7', '100', at(10));
    await h.store.positions.applyStreamQty(profile, 'AAPL', '3', '100', at(5));
    expect((await h.store.positions.list(profile))[0]?.qty).toBe('7');
  });
});

await describeStore('store: account snapshots', (h) => {
  it('keeps the account time series exactly and returns the latest snapshot', async () => {
    const profile = newProfile();
    expect(await h.store.accounts.latest(profile)).toBeNull();
    const s1 = makeSnapshot({ at: '2026-08-03T13:30:00.9Z', equity: '100000.000000001' });
    const s2 = makeSnapshot({ at: '2026-08-03T13:30:01Z', tradingBlocked: true, source: 'history' });
    await h.store.accounts.append(profile, s2);
    await h.store.accounts.append(profile, s1);
    expect(await h.store.accounts.latest(profile)).toEqual(s2);
    expect(await h.store.accounts.series(profile)).toEqual([s1, s2]);
  });

  it('replaces a snapshot taken at the same instant', async () => {
    const profile = newProfile();
    await h.store.accounts.append(profile, makeSnapshot({ equity: '1' }));
    await h.store.accounts.append(profile, makeSnapshot({ equity: '2' }));
    expect((await h.store.accounts.series(profile)).map((s) => s.equity)).toEqual(['2']);
  });

  it('filters the series by since and until and keeps the most recent `limit` in time order', async () => {
    const profile = newProfile();
    for (let i = 0; i < 5; i++)
      await h.store.accounts.append(profile, makeSnapshot({ at: at(i), equity: `${i}` }));
    const equities = async (q: Parameters<typeof h.store.accounts.series>[1]) =>
      (await h.store.accounts.series(profile, q)).map((s) => s.equity);
    expect(await equities({ since: at(1), until: at(3) })).toEqual(['1', '2', '3']);
    expect(await equities({ limit: 2 })).toEqual(['3', '4']);
  });
});
