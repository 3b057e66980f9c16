/**
 * A CoordinatorTimer for deterministic tests: operations run only when the test advances the
 * ManualClock through `advance`, in due-time order; their results are returned for the caller
 * to "persist" (log the records, then run onDurable) as the runtime would.
 */
import type { ManualClock } from '../../../common/clock.js';
import type { CoordinatorTimer, TimerResult } from '../../runtime-api.js';

interface Scheduled<Rec> {
  readonly dueMs: number;
  readonly seq: number;
  readonly operation: () => TimerResult<Rec>;
}

export interface TimerRun<Rec> {
  readonly key: string;
  readonly records: readonly Rec[];
  readonly onDurable?: () => void;
}

export class ManualTimer<Rec> implements CoordinatorTimer<Rec> {
  private readonly tasks = new Map<string, Scheduled<Rec>>();
  private seq = 0;

  constructor(private readonly clock: ManualClock) {}

  schedule(key: string, delayMs: number, operation: () => TimerResult<Rec>): void {
    this.tasks.set(key, { dueMs: this.clock.monotonicMs() + delayMs, seq: this.seq++, operation });
  }

  cancel(key: string): void {
    this.tasks.delete(key);
  }

  isScheduled(key: string): boolean {
    return this.tasks.has(key);
  }

  /** Milliseconds until the key's operation is due (undefined when not scheduled). */
  dueInMs(key: string): number | undefined {
    const task = this.tasks.get(key);
    return task && task.dueMs - this.clock.monotonicMs();
  }

  /** Moves the clock forward by `ms`, running every operation that falls due, in order. */
  advance(ms: number): TimerRun<Rec>[] {
    const target = this.clock.monotonicMs() + ms;
    const runs: TimerRun<Rec>[] = [];
    for (;;) {
      let next: [string, Scheduled<Rec>] | undefined;
      for (const entry of this.tasks) {
        const task = entry[1];
        if (task.dueMs > target) continue;
        if (!next || task.dueMs < next[1].dueMs || (task.dueMs === next[1].dueMs && task.seq < next[1].seq)) next = entry;
      }
      if (!next) break;
      const [key, task] = next;
      this.tasks.delete(key);
      if (task.dueMs > this.clock.monotonicMs()) this.clock.advance(task.dueMs - this.clock.monotonicMs());
      const result = task.operation();
      runs.push('records' in result ? { key, records: result.records, onDurable: result.onDurable } : { key, records: result });
    }
    if (target > this.clock.monotonicMs()) this.clock.advance(target - this.clock.monotonicMs());
    return runs;
  }
}
