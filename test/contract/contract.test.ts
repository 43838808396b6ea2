/**
 * The contract's functions: client order ids (built once, parsed back), watermark values
 * (encoded and decoded by their schemas, bad stored text read as unknown), stream health, and the
 * status sets read off the wire.
 */
import { describe, expect, it } from 'vitest';
import {
  CLIENT_ORDER_ID_MAX_LENGTH,
  clientOrderIdFor,
  decodeWatermark,
  ENGINE_STREAM_STATES,
  encodeWatermark,
  FINAL_ORDER_STATUSES,
  HEALTHY_STREAM_STATES,
  isCentaurClientOrderId,
  isDenialCode,
  isHealthyStreamState,
  isOpenOrderStatus,
  isSseEventKind,
  isTerminalCommandStatusText,
  KILL_SWITCH_SETTLED_STATUSES,
  OPEN_ORDER_STATUSES,
  parseClientOrderId,
  readWatermark,
  WATERMARK_KEYS,
  WATERMARKS,
  writeWatermark,
} from '../../src/contract/index.js';

describe('client order ids', () => {
  it('derives the same id from the same draft, within Alpaca length limits', () => {
    expect(clientOrderIdFor('draft', 'd-1')).toBe(clientOrderIdFor('draft', 'd-1'));
    expect(clientOrderIdFor('command', 'x'.repeat(200)).length).toBe(CLIENT_ORDER_ID_MAX_LENGTH);
  });

  it('parses back what it built, ids with dashes included', () => {
    const id = '0b7c6f1e-2d7a-4f5e-9a41-1f0e8f3c2b11';
    expect(parseClientOrderId(clientOrderIdFor('draft', id))).toEqual({ kind: 'draft', id });
    expect(parseClientOrderId(clientOrderIdFor('command', id))).toEqual({ kind: 'command', id });
  });

  it('does not claim an id placed outside Centaur', () => {
    expect(parseClientOrderId('my-own-order')).toBeNull();
    expect(parseClientOrderId(clientOrderIdFor('draft', '').slice(0, -1))).toBeNull();
    expect(isCentaurClientOrderId('my-own-order')).toBe(false);
    expect(isCentaurClientOrderId(clientOrderIdFor('command', 'c1'))).toBe(true);
  });
});

describe('watermarks', () => {
  it('stores the market session as JSON and reads it back', () => {
    const value = { session: 'pre' as const, at: '2026-08-03T12:00:00.000Z' };
    const text = encodeWatermark(WATERMARKS.marketSession, value);
    expect(JSON.parse(text)).toEqual(value);
    expect(decodeWatermark(WATERMARKS.marketSession, text)).toEqual(value);
  });

  it('reads missing, unparseable or off-schema text as unknown (null)', () => {
    expect(decodeWatermark(WATERMARKS.marketSession, null)).toBeNull();
    expect(decodeWatermark(WATERMARKS.marketSession, 'not json')).toBeNull();
    expect(
      decodeWatermark(WATERMARKS.marketSession, '{"session":"lunch","at":"2026-08-03T12:00:00Z"}'),
    ).toBeNull();
    expect(decodeWatermark(WATERMARKS.ordersAfter, 'yesterday')).toBeNull();
    expect(decodeWatermark(WATERMARKS.lossLimitTripped, 'NaN')).toBeNull();
  });

  it('refuses to write a value its schema does not accept', () => {
    expect(() => encodeWatermark(WATERMARKS.fillsAfter, 'yesterday')).toThrow();
  });

  it('keeps plain values as the text earlier releases wrote', async () => {
    const rows = new Map<string, string>();
    const store = {
      get: async (p: string, k: string) => rows.get(`${p}/${k}`) ?? null,
      set: async (p: string, k: string, v: string) => void rows.set(`${p}/${k}`, v),
    };
    await writeWatermark(store, 'p1', WATERMARKS.killSwitchSuspended, 'true');
    await writeWatermark(store, 'p1', WATERMARKS.lossLimitTripped, '100000.5');
    expect(rows.get('p1/kill_switch_suspended')).toBe('true');
    expect(await readWatermark(store, 'p1', WATERMARKS.lossLimitTripped)).toBe('100000.5');
  });

  it('has one key per watermark', () => {
    expect(new Set(WATERMARK_KEYS).size).toBe(WATERMARK_KEYS.length);
  });
});

describe('stream states', () => {
  it('are healthy only when listening, or off by configuration', () => {
    expect([...HEALTHY_STREAM_STATES].sort()).toEqual(['disabled', 'listening']);
    for (const s of ENGINE_STREAM_STATES) expect(isHealthyStreamState(s)).toBe(HEALTHY_STREAM_STATES.has(s));
    for (const s of ['connected', 'authenticated', 'polling', '', null, undefined])
      expect(isHealthyStreamState(s)).toBe(false);
  });
});

describe('status sets', () => {
  it('never call an order both open and final; the kill switch waits for final ones at least', () => {
    for (const s of OPEN_ORDER_STATUSES) expect(FINAL_ORDER_STATUSES.has(s)).toBe(false);
    for (const s of FINAL_ORDER_STATUSES) expect(KILL_SWITCH_SETTLED_STATUSES.has(s)).toBe(true);
    expect(KILL_SWITCH_SETTLED_STATUSES.has('done_for_day')).toBe(true);
  });

  it('read wire strings safely', () => {
    expect(isOpenOrderStatus('partially_filled')).toBe(true);
    expect(isOpenOrderStatus('filled')).toBe(false);
    expect(isOpenOrderStatus('whatever')).toBe(false);
    expect(isTerminalCommandStatusText('expired')).toBe(true);
    expect(isTerminalCommandStatusText('running')).toBe(false);
    expect(isTerminalCommandStatusText('nope')).toBe(false);
    expect(isDenialCode('TRADING_HALTED')).toBe(true);
    expect(isDenialCode('toString')).toBe(false);
    expect(isSseEventKind('fills')).toBe(true);
    expect(isSseEventKind('message')).toBe(false);
  });
});
