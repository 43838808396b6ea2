/**
 * The Store port: the ledger. One repository per table family, every call keyed by profile so
 * one database serves several accounts. Storage adapters (src/adapters/storage) implement it for
 * SQLite and Postgres; `transaction` runs a unit of work on one connection, all or nothing.
 */
import type { AuditEvent, AuditEventInput } from '../core/audit.js';
import type { Command, CommandError, CommandOutcome, CommandStatus } from '../core/command.js';
import type { DecimalString } from '../core/decimal.js';
import type { Draft, DraftStatus } from '../core/draft.js';
import type { Fill } from '../core/fill.js';
import type { Order, OrderUpdateOutcome } from '../core/order.js';
import type { AccountSnapshot, Position } from '../core/position.js';
import type { Timestamp } from '../core/time.js';
import type { TradingState, TradingStateRecord } from '../core/trading-state.js';

export interface OrderListQuery {
  status?: 'open' | 'closed' | 'all';
  symbol?: string;
  /** Only orders created at or after this time. */
  since?: Timestamp;
  limit?: number;
}

export interface OrderRepository {
  /** Applies a broker update monotonically (see core/order.ts) and stores the winner. */
  apply(profileId: string, order: Order): Promise<OrderUpdateOutcome>;
  get(profileId: string, id: string): Promise<Order | null>;
  getByClientOrderId(profileId: string, clientOrderId: string): Promise<Order | null>;
  list(profileId: string, query?: OrderListQuery): Promise<Order[]>;
}

export interface FillRepository {
  /** Inserts a fill once per execution id; returns false for a duplicate. */
  insert(profileId: string, fill: Fill): Promise<boolean>;
  list(
    profileId: string,
    query?: { symbol?: string; orderId?: string; since?: Timestamp; limit?: number },
  ): Promise<Fill[]>;
  /** The time of the latest fill stored, the watermark for back-filling. */
  latestAt(profileId: string): Promise<Timestamp | null>;
}

export interface PositionRepository {
  /** Replaces the profile's positions with the broker's REST view. */
  replaceAll(profileId: string, positions: Position[], asOf: Timestamp): Promise<void>;
  /** Applies a quantity the stream reported (provisional until the next REST refresh). */
  applyStreamQty(
    profileId: string,
    symbol: string,
    qty: DecimalString,
    fillPrice: DecimalString,
    at: Timestamp,
  ): Promise<void>;
  list(profileId: string): Promise<Position[]>;
  /** An opaque value that changes with every write to the profile's positions (null before any). */
  revision(profileId: string): Promise<string | null>;
}

export interface AccountRepository {
  append(profileId: string, snapshot: AccountSnapshot): Promise<void>;
  latest(profileId: string): Promise<AccountSnapshot | null>;
  series(
    profileId: string,
    query?: { since?: Timestamp; until?: Timestamp; limit?: number },
  ): Promise<AccountSnapshot[]>;
}

export interface CommandListQuery {
  status?: CommandStatus;
  type?: string;
  limit?: number;
  /** 'newest' (default) or 'oldest' first. */
  order?: 'newest' | 'oldest';
}

/**
 * The proof that a write comes from the engine holding the profile lease now: the holder and the
 * lease's fencing token (it increases with every takeover). A store given a fence refuses the write
 * with StaleFenceError unless that holder still holds that token and the lease has not expired by
 * the store's clock.
 */
export interface Fence {
  holder: string;
  token: number;
}

/** A write made under a fence that no longer holds the lease: nothing was written. */
export class StaleFenceError extends Error {
  constructor(
    readonly profileId: string,
    readonly fence: Fence,
  ) {
    super(
      `profile "${profileId}": engine ${fence.holder} (fencing token ${fence.token}) no longer holds the lease; write refused`,
    );
    this.name = 'StaleFenceError';
  }
}

export interface CommandRepository {
  /**
   * Stores a new queued command. With an idempotency key already used by the profile, returns the
   * existing command instead (`created: false`).
   */
  create(command: Command): Promise<{ command: Command; created: boolean }>;
  get(profileId: string, id: string): Promise<Command | null>;
  list(profileId: string, query?: CommandListQuery): Promise<Command[]>;
  /**
   * Moves queued|running -> running (a claim); null when the command is already terminal. With a
   * fence, in the same statement: throws StaleFenceError (and changes nothing) unless it holds.
   */
  claim(profileId: string, id: string, at: Timestamp, fence?: Fence): Promise<Command | null>;
  /**
   * Records a terminal outcome once; returns null when the command was already terminal. With a
   * fence, in the same statement: throws StaleFenceError (and changes nothing) unless it holds.
   */
  finish(
    profileId: string,
    id: string,
    outcome: CommandOutcome,
    at: Timestamp,
    fence?: Fence,
  ): Promise<Command | null>;
  /** How many commands the profile has, by type and status. */
  counts(profileId: string): Promise<CommandCount[]>;
  /**
   * queued -> rejected in one statement, only if nobody claimed it yet; returns the command as it
   * is afterwards (rejected, or claimed meanwhile), null when unknown.
   */
  rejectQueued(profileId: string, id: string, error: CommandError, at: Timestamp): Promise<Command | null>;
}

export interface CommandCount {
  type: string;
  status: string;
  count: number;
}

export interface DraftRepository {
  create(draft: Draft): Promise<void>;
  get(profileId: string, id: string): Promise<Draft | null>;
  /** staged -> confirmed with the command id, exactly once; false when the draft was not staged. */
  confirm(profileId: string, id: string, commandId: string): Promise<boolean>;
  setStatus(profileId: string, id: string, status: DraftStatus): Promise<void>;
}

export interface TradingStateRepository {
  get(profileId: string): Promise<TradingStateRecord | null>;
  /** With a fence: throws StaleFenceError (and changes nothing) unless it holds. */
  set(record: TradingStateRecord, fence?: Fence): Promise<void>;
}

export interface AuditQuery {
  action?: string;
  actor?: string;
  correlationId?: string;
  since?: Timestamp;
  until?: Timestamp;
  afterSeq?: number;
  limit?: number;
}

export interface AuditRepository {
  /** Appends an event at the end of the profile's hash chain. */
  append(input: AuditEventInput): Promise<AuditEvent>;
  list(profileId: string, query?: AuditQuery): Promise<AuditEvent[]>;
  /**
   * The tip the store recorded with the last append (kept apart from the events), or null before
   * the first: a chain whose last event is not this tip lost its newest events.
   */
  recordedHead(profileId: string): Promise<{ seq: number; hash: string } | null>;
}

export interface Lease {
  profileId: string;
  holder: string;
  expiresAt: Timestamp;
  /** The fencing token: increases by one with every takeover (a renewal keeps it). */
  token: number;
}

/** A lease taken or renewed: its fencing token and its expiry, both decided by the store. */
export interface LeaseGrant {
  token: number;
  expiresAt: Timestamp;
}

export interface LeaseRepository {
  /**
   * Takes or renews the profile lease for `ttlMs`, by the store's clock (the database server's for
   * Postgres, this host's for SQLite), when it is free, expired or already `holder`'s; null
   * otherwise. Taking it from another holder (or after a release) increments the token; renewing
   * keeps it. One statement, so two engines racing cannot both win.
   */
  take(profileId: string, holder: string, ttlMs: number): Promise<LeaseGrant | null>;
  release(profileId: string, holder: string): Promise<void>;
  get(profileId: string): Promise<Lease | null>;
  /**
   * The check made right before every broker write, in one read: throws StaleFenceError unless
   * `fence` holds the unexpired lease by the store's clock; returns the durable trading state
   * (ACTIVE when none was ever stored).
   */
  guard(profileId: string, fence: Fence): Promise<TradingState>;
}

export interface Heartbeat {
  profileId: string;
  environment: 'paper' | 'live';
  holder: string;
  version: string;
  streamState: string;
  lastEventAt: Timestamp | null;
  lastSyncAt: Timestamp | null;
  lagMs: number | null;
  at: Timestamp;
  detail: Readonly<Record<string, unknown>>;
}

export interface HeartbeatRepository {
  write(heartbeat: Heartbeat): Promise<void>;
  read(profileId: string): Promise<Heartbeat | null>;
}

/** Small named values per profile: sync watermarks and the like. */
export interface WatermarkRepository {
  get(profileId: string, key: string): Promise<string | null>;
  set(profileId: string, key: string, value: string): Promise<void>;
}

/** A broker asset profile as cached by the engine (what the risk checks need to know). */
export interface AssetRecord {
  symbol: string;
  name: string;
  status: 'active' | 'inactive';
  tradable: boolean;
  fractionable: boolean;
  shortable: boolean;
  easyToBorrow: boolean;
  updatedAt: Timestamp;
}

/** The latest quote of a symbol as cached by the engine; `at` is when the broker priced it. */
export interface QuoteRecord {
  symbol: string;
  last: DecimalString | null;
  bid: DecimalString | null;
  ask: DecimalString | null;
  at: Timestamp;
}

/**
 * The market-data cache: the engine (the only process with broker credentials) fills assets and
 * quotes; the API reads them for the draft preview and registers symbols it needs priced.
 */
export interface MarketDataRepository {
  /** Inserts or replaces asset profiles by symbol. */
  upsertAssets(profileId: string, assets: readonly AssetRecord[]): Promise<void>;
  getAsset(profileId: string, symbol: string): Promise<AssetRecord | null>;
  /** Inserts or replaces quotes by symbol; an older quote never replaces a newer one. */
  upsertQuotes(profileId: string, quotes: readonly QuoteRecord[]): Promise<void>;
  getQuote(profileId: string, symbol: string): Promise<QuoteRecord | null>;
  /** Asks the engine to keep `symbol` priced; a repeat moves the request time forward. */
  watch(profileId: string, symbol: string, at: Timestamp): Promise<void>;
  /** Symbols whose latest watch request is at or after `since`, sorted. */
  watchedSymbols(profileId: string, since: Timestamp): Promise<string[]>;
}

export interface Repositories {
  orders: OrderRepository;
  fills: FillRepository;
  positions: PositionRepository;
  accounts: AccountRepository;
  commands: CommandRepository;
  drafts: DraftRepository;
  tradingState: TradingStateRepository;
  audit: AuditRepository;
  leases: LeaseRepository;
  heartbeats: HeartbeatRepository;
  watermarks: WatermarkRepository;
  marketData: MarketDataRepository;
}

export interface Store extends Repositories {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * The store's clock: the database server's for Postgres (shared by every host), this host's for
   * SQLite (one host by construction). Every time that another process compares (command and
   * draft expiry, heartbeat age, lease expiry) is read from here, never from a host's own clock.
   */
  now(): Promise<Timestamp>;
  /** Runs `work` in one transaction: all of it is stored, or none. */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
