/**
 * A CoordinatorTimer for deterministic tests: operations run only when the test advances the
 * ManualClock through `advance`, in due-time order; their records are collected and their
 * onDurable runs at once (as the runtime does after the append).
 */
import type { ManualClock } from '../../../common/clock.js';
import type { GroupRecord } from '../records.js';
import type { CoordinatorTimer, TimerResult } from '../shard-api.js';

interface Scheduled {
  readonly dueMs: number;
  readonly seq: number;
  readonly operation: () => TimerResult<GroupRecord>;
}

export class ManualTimer implements CoordinatorTimer {
  private readonly tasks = new Map<string, Scheduled>();
  private seq = 0;

  constructor(private readonly clock: ManualClock) {}

  schedule(key: string, delayMs: number, operation: () => TimerResult<GroupRecord>): void {
    this.tasks.set(key, { dueMs: this.clock.monotonicMs() + delayMs, seq: this.seq++, operation });
  }

  cancel(key: string): void {
    this.tasks.delete(key);
  }

  isScheduled(key: string): boolean {
    return this.tasks.has(key);
  }

  scheduledKeys(): string[] {
    return [...this.tasks.keys()];
  }

  /** Moves the clock forward by `ms`, running every operation that falls due, in order. */
  advance(ms: number): GroupRecord[] {
    const target = this.clock.monotonicMs() + ms;
    const records: GroupRecord[] = [];
    for (;;) {
      let nextKey: string | undefined;
      let next: Scheduled | undefined;
      for (const [key, task] of this.tasks) {
        if (task.dueMs > target) continue;
        if (!next || task.dueMs < next.dueMs || (task.dueMs === next.dueMs && task.seq < next.seq)) {
          next = task;
          nextKey = key;
        }
      }
      if (!next || nextKey === undefined) break;
      this.tasks.delete(nextKey);
      if (next.dueMs > this.clock.monotonicMs()) this.clock.advance(next.dueMs - this.clock.monotonicMs());
      const result = next.operation();
      if ('records' in result) {
        records.push(...result.records);
        result.onDurable?.();
      } else {
        records.push(...result);
      }
    }
    if (target > this.clock.monotonicMs()) this.clock.advance(target - this.clock.monotonicMs());
    return records;
  }
}
