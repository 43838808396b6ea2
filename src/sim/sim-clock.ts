/**
 * The simulator's notion of time and market state. Time comes from an injectable source and can be
 * moved (offset) or frozen through /_sim/clock; the market is either always open (demo default)
 * or follows the session calendar.
 * Must preserve: `now()` never goes backwards unless a test explicitly sets an earlier time.
 */
import { phaseAt, type SessionPhase } from './session-calendar.js';

export type ClockMode = 'always-open' | 'calendar';

export class SimClock {
  private offsetMs = 0;
  private frozenAt: number | null = null;

  constructor(
    readonly mode: ClockMode,
    private readonly source: () => number = Date.now,
  ) {}

  now(): number {
    return this.frozenAt ?? this.source() + this.offsetMs;
  }

  /** Moves the clock to `ms`; frozen clocks stay there until moved again. */
  set(ms: number, frozen: boolean): void {
    if (frozen) {
      this.frozenAt = ms;
    } else {
      this.frozenAt = null;
      this.offsetMs = ms - this.source();
    }
  }

  /** Moves a frozen clock (or the offset of a running one) forward. */
  advance(ms: number): void {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  get frozen(): boolean {
    return this.frozenAt !== null;
  }

  phase(at = this.now()): SessionPhase {
    return this.mode === 'always-open' ? 'core' : phaseAt(at);
  }
}
