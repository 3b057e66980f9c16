/**
 * One task at a time, in arrival order: a shard's operations never interleave, so each sees the
 * state the previous one left, records included. Client requests are refused once `maxQueued`
 * wait (they get a retriable error); the runtime's own tasks (loading, timers, topic deletions,
 * transaction markers) always get in, and are few.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;

  constructor(private readonly maxQueued: number) {}

  /** Tasks waiting or running. */
  get size(): number {
    return this.queued;
  }

  /** Runs `task` after every earlier one; undefined when the queue is full (unless `force`). */
  run<T>(task: () => Promise<T>, force = false): Promise<T> | undefined {
    if (!force && this.queued >= this.maxQueued) return undefined;
    this.queued++;
    const result = this.tail.then(task).finally(() => {
      this.queued--;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has finished. */
  async drain(): Promise<void> {
    await this.tail;
  }
}
