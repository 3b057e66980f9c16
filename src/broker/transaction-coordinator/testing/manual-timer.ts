/**
 * A RetryTimer for tests: nothing fires until the test says so. `runAll()` fires what is
 * scheduled now (entries added while firing wait for the next call), so a test steps through
 * retries one round at a time and can read each delay asked for.
 */
import type { TimerEntry } from '../../coordinator-runtime/coarse-timer.js';
import type { RetryTimer } from '../retry-timer.js';

export class ManualTimer implements RetryTimer {
  private entries: TimerEntry[] = [];
  private seq = 0;
  /** Every delay asked for, in order. */
  readonly delaysMs: number[] = [];

  add(delayMs: number, fire: () => void): TimerEntry {
    const entry: TimerEntry = { dueMs: delayMs, seq: this.seq++, fire, cancelled: false };
    this.delaysMs.push(delayMs);
    this.entries.push(entry);
    return entry;
  }

  cancel(entry: TimerEntry): void {
    entry.cancelled = true;
  }

  /** Entries neither fired nor cancelled. */
  get pending(): number {
    return this.entries.filter((e) => !e.cancelled).length;
  }

  /** Fires every entry scheduled before this call; the number fired. */
  runAll(): number {
    const due = this.entries;
    this.entries = [];
    let fired = 0;
    for (const e of due) {
      if (e.cancelled) continue;
      e.cancelled = true;
      fired++;
      e.fire();
    }
    return fired;
  }
}
