import { expect, it } from 'vitest';
import type { AssetRecord, QuoteRecord } from '../../src/ports/store.js';
import { at, T0 } from './fixtures.js';
import { describeStore, newProfile } from './store-harness.js';

function asset(overrides: Partial<AssetRecord> = {}): AssetRecord {
  return {
    symbol: 'AAPL',
    name: 'Apple Inc.',
    status: 'active',
    tradable: true,
    fractionable: true,
    shortable: false,
    easyToBorrow: false,
    updatedAt: T0,
    ...overrides,
  };
}

function quote(overrides: Partial<QuoteRecord> = {}): QuoteRecord {
  return { symbol: 'AAPL', last: '187.25', bid: '187.2', ask: '187.3', at: T0, ...overrides };
}

await describeStore('store: market data cache', (h) => {
  it('stores asset profiles and replaces them by symbol', async () => {
    const profile = newProfile();
    expect(await h.store.marketData.getAsset(profile, 'AAPL')).toBeNull();
    await h.store.marketData.upsertAssets(profile, [asset(), asset({ symbol: 'GME', status: 'inactive' })]);
    expect(await h.store.marketData.getAsset(profile, 'AAPL')).toEqual(asset());
    await h.store.marketData.upsertAssets(profile, [
      asset({ tradable: false, shortable: true, updatedAt: at(5) }),
    ]);
    expect(await h.store.marketData.getAsset(profile, 'AAPL')).toEqual(
      asset({ tradable: false, shortable: true, updatedAt: at(5) }),
    );
    expect((await h.store.marketData.getAsset(profile, 'GME'))?.status).toBe('inactive');
    expect(await h.store.marketData.getAsset(newProfile(), 'AAPL')).toBeNull();
  });

  it('keeps the newest quote: an older one never replaces it', async () => {
    const profile = newProfile();
    expect(await h.store.marketData.getQuote(profile, 'AAPL')).toBeNull();
    await h.store.marketData.upsertQuotes(profile, [quote({ at: at(10) })]);
    await h.store.marketData.upsertQuotes(profile, [quote({ last: '1', at: at(5) })]);
    expect(await h.store.marketData.getQuote(profile, 'AAPL')).toEqual(quote({ at: at(10) }));
    await h.store.marketData.upsertQuotes(profile, [
      quote({ last: null, bid: '190', ask: null, at: at(11) }),
      quote({ symbol: 'MSFT', last: '400.5', at: at(11) }),
    ]);
    expect(await h.store.marketData.getQuote(profile, 'AAPL')).toEqual(
      quote({ last: null, bid: '190', ask: null, at: at(11) }),
    );
    expect((await h.store.marketData.getQuote(profile, 'MSFT'))?.last).toBe('400.5');
  });

  it('lists watched symbols requested since a time; a repeat moves the request forward only', async () => {
    const profile = newProfile();
    await h.store.marketData.watch(profile, 'TSLA', at(0));
    await h.store.marketData.watch(profile, 'AAPL', at(30));
    expect(await h.store.marketData.watchedSymbols(profile, at(0))).toEqual(['AAPL', 'TSLA']);
    expect(await h.store.marketData.watchedSymbols(profile, at(10))).toEqual(['AAPL']);
    await h.store.marketData.watch(profile, 'TSLA', at(40));
    await h.store.marketData.watch(profile, 'AAPL', at(20));
    expect(await h.store.marketData.watchedSymbols(profile, at(35))).toEqual(['TSLA']);
    expect(await h.store.marketData.watchedSymbols(profile, at(25))).toEqual(['AAPL', 'TSLA']);
    expect(await h.store.marketData.watchedSymbols(newProfile(), at(0))).toEqual([]);
  });

  it('writes inside a transaction all or nothing', async () => {
    const profile = newProfile();
    await expect(
      h.store.transaction(async (tx) => {
        await tx.marketData.upsertQuotes(profile, [quote()]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await h.store.marketData.getQuote(profile, 'AAPL')).toBeNull();
  });
});
