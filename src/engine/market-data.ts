/**
 * The market-data cache refresher: the engine is the only process with broker credentials, so it
 * keeps the cache the API's draft preview reads. Every cycle (default 2 s): one batched quotes
 * request ('read' lane) for the symbols of interest (positions, open orders, and what the API
 * asked for in the last 5 minutes), asset profiles for symbols not cached yet (watched first, at most 4 calls a cycle so a large book
 * does not drain the REST budget; all of them again
 * once a day), and the market session (`core` when the broker's clock is open, else pre/post/closed
 * from the time of day in New York), written to the `market_session` watermark every cycle. The
 * broker clock is re-read at most once a minute. A failed cycle is logged and the next one retries.
 *
 * What it read is also kept in memory, with the time of each read, as the MarketCache the engine's
 * pre-submit risk check uses instead of a REST read while it is fresh (the freshness rules are in
 * safety/market-cache.ts): the quotes of the last batch, the asset profiles found (an unknown
 * symbol is not cached: the check asks the broker), and the broker clock.
 */
import { WATERMARKS, writeWatermark } from '../contract/watermarks.js';
import type { MarketSession } from '../core/risk/risk-types.js';
import type { Logger } from '../logging/logger.js';
import type { Asset, Broker, MarketClock, Quote } from '../ports/broker.js';
import type { Clock } from '../ports/clock.js';
import type { AssetRecord, Store } from '../ports/store.js';
import { type Cached, type MarketCache, nextSessionChange } from './safety/market-cache.js';

const WATCH_WINDOW_MS = 5 * 60_000;
const CLOCK_REFRESH_MS = 60_000;
/** Asset reads per cycle: one call each, so a large book is read over a few cycles, not in one burst. */
const ASSETS_PER_CYCLE = 4;

export interface MarketDataOptions {
  store: Store;
  broker: Broker;
  clock: Clock;
  log: Logger;
  profileId: string;
  intervalMs: number;
  assetRefreshMs: number;
}

/** Minutes since midnight in New York and whether it is a weekday there. */
function newYorkTime(at: Date): { minutes: number; weekday: boolean } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const minutes = Number(get('hour')) * 60 + Number(get('minute'));
  return { minutes, weekday: !['Sat', 'Sun'].includes(get('weekday')) };
}

/** The session at `at`: core when the broker says open, else extended hours by the time of day. */
export function marketSession(clock: Pick<MarketClock, 'isOpen'>, at: Date): MarketSession {
  if (clock.isOpen) return 'core';
  const { minutes, weekday } = newYorkTime(at);
  if (!weekday) return 'closed';
  if (minutes >= 4 * 60 && minutes < 9 * 60 + 30) return 'pre';
  if (minutes >= 16 * 60 && minutes < 20 * 60) return 'post';
  return 'closed';
}

export class MarketDataRefresher implements MarketCache {
  #timer: { cancel(): void } | null = null;
  #stopped = true;
  #running: Promise<void> | null = null;
  #assetsReadAt = Number.NEGATIVE_INFINITY;
  #known = new Set<string>();
  #brokerClock: Cached<MarketClock> | null = null;
  #quoteCache = new Map<string, Cached<Quote>>();
  #assetCache = new Map<string, Cached<Asset>>();
  cycles = 0;

  constructor(private readonly o: MarketDataOptions) {}

  quote(symbol: string): Cached<Quote> | null {
    return this.#quoteCache.get(symbol) ?? null;
  }

  asset(symbol: string): Cached<Asset> | null {
    return this.#assetCache.get(symbol) ?? null;
  }

  clock(): Cached<MarketClock> | null {
    return this.#brokerClock;
  }

  start(): void {
    this.#stopped = false;
    this.#tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    await this.#running?.catch(() => {});
  }

  #tick(): void {
    if (this.#stopped) return;
    this.#running = this.refresh()
      .catch((error) => this.o.log.warn({ err: error }, 'market data refresh failed; retrying'))
      .finally(() => {
        this.#running = null;
        if (!this.#stopped) this.#timer = this.o.clock.setTimeout(() => this.#tick(), this.o.intervalMs);
      });
  }

  /** The symbols worth pricing now (positions, open orders, watched ones) and the watched ones. */
  async symbols(): Promise<{ all: string[]; watched: Set<string> }> {
    const { store, profileId, clock } = this.o;
    const since = new Date(clock.now().getTime() - WATCH_WINDOW_MS).toISOString();
    const [positions, orders, watched] = await Promise.all([
      store.positions.list(profileId),
      store.orders.list(profileId, { status: 'open' }),
      store.marketData.watchedSymbols(profileId, since),
    ]);
    const all = new Set([...positions.map((p) => p.symbol), ...orders.map((o) => o.symbol), ...watched]);
    return { all: [...all].sort(), watched: new Set(watched) };
  }

  /** One cycle: session, assets (new or due), quotes. */
  async refresh(): Promise<void> {
    const { all, watched } = await this.symbols();
    await Promise.all([this.#session(), this.#assets(all, watched), this.#quotes(all)]);
    this.cycles++;
  }

  async #session(): Promise<void> {
    const { broker, clock, store, profileId } = this.o;
    const now = clock.now().getTime();
    const cached = this.#brokerClock;
    const stale =
      cached === null || now - cached.readAt >= CLOCK_REFRESH_MS || now >= nextSessionChange(cached.value);
    if (stale) this.#brokerClock = { value: await broker.getClock({ lane: 'read' }), readAt: now };
    const session = marketSession(this.#brokerClock?.value ?? { isOpen: false }, clock.now());
    await writeWatermark(store.watermarks, profileId, WATERMARKS.marketSession, {
      session,
      at: clock.timestamp(),
    });
  }

  async #assets(symbols: string[], watched: ReadonlySet<string>): Promise<void> {
    const { broker, clock, store, profileId } = this.o;
    if (clock.now().getTime() - this.#assetsReadAt >= this.o.assetRefreshMs) {
      this.#assetsReadAt = clock.now().getTime();
      this.#known.clear();
    }
    // Symbols a person is drafting first: the preview waits for them.
    const missing = symbols.filter((s) => !this.#known.has(s));
    const wanted = [
      ...missing.filter((s) => watched.has(s)),
      ...missing.filter((s) => !watched.has(s)),
    ].slice(0, ASSETS_PER_CYCLE);
    if (wanted.length === 0) return;
    const at = clock.timestamp();
    const readAt = clock.now().getTime();
    const found = await Promise.all(wanted.map((s) => broker.getAsset(s, { lane: 'read' })));
    const records: AssetRecord[] = [];
    for (const [i, asset] of found.entries()) {
      this.#known.add(wanted[i] as string);
      if (asset === null) continue;
      records.push({ ...asset, updatedAt: at });
      this.#assetCache.set(asset.symbol, { value: asset, readAt });
      this.#known.add(asset.symbol);
    }
    if (records.length) await store.marketData.upsertAssets(profileId, records);
  }

  async #quotes(symbols: string[]): Promise<void> {
    if (symbols.length === 0) return;
    const { broker, clock, store, profileId } = this.o;
    const readAt = clock.now().getTime();
    const quotes = await broker.getQuotes(symbols, { lane: 'read' });
    for (const q of quotes.values()) this.#quoteCache.set(q.symbol, { value: q, readAt });
    const fallback = clock.timestamp();
    const records = [...quotes.values()].map((q) => ({
      symbol: q.symbol,
      last: q.lastPrice,
      bid: q.bid,
      ask: q.ask,
      at: q.at ?? fallback,
    }));
    if (records.length) await store.marketData.upsertQuotes(profileId, records);
  }
}
