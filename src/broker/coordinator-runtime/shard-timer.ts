/**
 * A shard's CoordinatorTimer over the broker's CoarseTimer. When a deadline passes, its
 * operation is handed to the shard's queue; it runs there only if the key still names the same
 * task (a reschedule or cancel in between wins, as in Kafka's timer). Closing drops every task,
 * so a reloaded or unloaded shard's deadlines never fire.
 */
import type { CoordinatorTimer, TimerResult } from '../../coordinator/runtime-api.js';
import type { CoarseTimer, TimerEntry } from './coarse-timer.js';

export interface TimerTask<R> {
  readonly key: string;
  readonly operation: () => TimerResult<R>;
  entry: TimerEntry | undefined;
}

export class ShardTimer<R> implements CoordinatorTimer<R> {
  private readonly tasks = new Map<string, TimerTask<R>>();
  private closed = false;

  /** `expired` queues the task's run on the shard (see `take`). */
  constructor(
    private readonly shared: CoarseTimer,
    private readonly expired: (task: TimerTask<R>) => void,
  ) {}

  schedule(key: string, delayMs: number, operation: () => TimerResult<R>): void {
    if (this.closed) return;
    this.cancel(key);
    const task: TimerTask<R> = { key, operation, entry: undefined };
    task.entry = this.shared.add(delayMs, () => {
      if (!this.closed && this.tasks.get(key) === task) this.expired(task);
    });
    this.tasks.set(key, task);
  }

  cancel(key: string): void {
    const task = this.tasks.get(key);
    if (!task) return;
    this.tasks.delete(key);
    if (task.entry) this.shared.cancel(task.entry);
  }

  isScheduled(key: string): boolean {
    return this.tasks.has(key);
  }

  get size(): number {
    return this.tasks.size;
  }

  /**
   * Called on the shard's queue when an expired task's turn comes: true (and the task is
   * removed) when it is still the task of its key, so its operation should run now.
   */
  take(task: TimerTask<R>): boolean {
    if (this.closed || this.tasks.get(task.key) !== task) return false;
    this.tasks.delete(task.key);
    return true;
  }

  close(): void {
    this.closed = true;
    for (const task of this.tasks.values()) if (task.entry) this.shared.cancel(task.entry);
    this.tasks.clear();
  }
}
