/**
 * Time behind an interface, so tests and simulations can move it by hand.
 */
export interface Clock {
  /** Wall-clock time in milliseconds since the epoch (timestamps, retention). */
  nowMs(): number;
  /** Monotonic milliseconds for measuring intervals (timeouts); never goes backwards. */
  monotonicMs(): number;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  monotonicMs: () => performance.now(),
};

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  private wallMs: number;
  private monoMs = 0;

  constructor(startMs = 1_700_000_000_000) {
    this.wallMs = startMs;
  }

  nowMs(): number {
    return this.wallMs;
  }

  monotonicMs(): number {
    return this.monoMs;
  }

  advance(ms: number): void {
    if (ms < 0) throw new RangeError('a clock does not go backwards');
    this.wallMs += ms;
    this.monoMs += ms;
  }
}
