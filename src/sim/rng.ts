/**
 * Seeded randomness for the simulator. Every random choice (price steps, partial fills, injected
 * faults) draws from a named stream derived from the seed, so one seed replays the same market.
 * Must preserve: the same (seed, label) always yields the same sequence, independent of other labels.
 */
import { createHash } from 'node:crypto';

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: a tiny, fast 32-bit PRNG with good enough statistics for a simulated market. */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of the label mixed with the seed: a stable sub-seed per named stream. */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A named random stream for one purpose ("price:AAPL", "fill", "faults"). */
export function streamFor(seed: number, label: string): Rng {
  return mulberry32(deriveSeed(seed, label));
}

/** A UUID-shaped id that is stable for a label (asset ids, the account id). */
export function stableUuid(label: string): string {
  const hex = createHash('sha256').update(label).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
