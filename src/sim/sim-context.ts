/**
 * What the HTTP routes and the stream share: the broker, credentials, rate limiter, faults and
 * request statistics of one running simulator.
 * Must preserve: faults and the rate limit are per simulator instance (tests run several at once).
 */
import type { SimBroker } from './broker.js';
import type { FaultSettings } from './faults.js';
import type { RateLimiter } from './rate-limit.js';
import type { Rng } from './rng.js';
import type { TradeStreamServer } from './trade-stream.js';

export interface SimContext {
  broker: SimBroker;
  keyId: string;
  secret: string;
  limiter: RateLimiter;
  faults: FaultSettings;
  faultRng: Rng;
  /** Epoch ms until which stream upgrades are refused (fault). */
  refuseStreamUntil: number;
  stream: TradeStreamServer;
  /** REST request counts by "METHOD /route/pattern". */
  requests: Map<string, number>;
  /** Starts and stops the background price ticker (no-op when it is not configured). */
  ticker: { running: boolean; start(): void; stop(): void };
}
