/**
 * The submission gate: what serialises order submissions with the kill switch inside one engine.
 *
 * A submission enters the gate before its last durable checks and leaves it only once its broker
 * call has settled and the order it placed (if any) is stored. The kill switch closes the gate
 * synchronously, when its command is claimed, before anything else can run; from then on no
 * submission can enter. It then makes HALTED durable and waits for `drained()`: every submission
 * that entered before has settled, so the broker already shows whatever it placed when the kill
 * switch lists, cancels, closes and verifies. Only a confirmed resume reopens the gate.
 *
 * Across engines the same promise rests on the fencing token (a submission is refused by the store
 * once another engine took the lease) and on the durable trading state read at submit time.
 */
export class SubmissionGate {
  #closedBy: string | null = null;
  #inFlight = 0;
  #waiters: Array<() => void> = [];

  /** Why the gate is closed (null while open). */
  get closedBy(): string | null {
    return this.#closedBy;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Enters the gate: returns the function that leaves it (call it exactly once, in a finally), or
   * null when the gate is closed and nothing may be submitted.
   */
  enter(): (() => void) | null {
    if (this.#closedBy !== null) return null;
    this.#inFlight++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#inFlight--;
      if (this.#inFlight === 0) for (const w of this.#waiters.splice(0)) w();
    };
  }

  /** Closes the gate (synchronously); submissions already inside keep going until they leave. */
  close(reason: string): void {
    this.#closedBy ??= reason;
  }

  /** Reopens the gate (a confirmed resume). */
  open(): void {
    this.#closedBy = null;
  }

  /** Resolves once no submission is inside the gate. */
  drained(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
