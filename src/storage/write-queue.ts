/**
 * The single writer of a partition log. Appends take their offsets and file positions at once
 * (synchronously, in call order) and queue their bytes here; the queue writes them in order, and
 * appends that queued up while a write was in flight go out together as one write (group
 * commit). Roll steps (closing the old segment's indexes, creating the new files) are queued
 * between the writes. After the first failure every queued and later task fails with it: the
 * log's directory has gone bad.
 */
import type { LogSegment } from './segment.js';

interface Deferred {
  resolve(): void;
  reject(err: unknown): void;
}

type Task =
  | { kind: 'write'; segment: LogSegment; position: number; batches: readonly Buffer[]; size: number; lastOffset: bigint; done: Deferred }
  | { kind: 'step'; run: () => Promise<void>; done: Deferred };

export interface WriteQueueHooks {
  /**
   * Called after each write with the segment, the new written end, the written bytes as one
   * buffer (when the queue copied them into one: see `copyWrites`), and the last offset written.
   */
  onWritten(segment: LogSegment, end: number, data: Buffer | null, lastOffset: bigint): void;
  /** Called once, on the first failure. */
  onFailure(err: unknown): void;
}

export class WriteQueue {
  private tasks: Task[] = [];
  private head = 0;
  private running = false;
  private failure: unknown = null;
  /** Bytes queued and not yet written. */
  pendingBytes = 0;

  /**
   * `copyWrites`: gather each write into one fresh buffer (which the hooks may keep, e.g. for the
   * tail cache) rather than a vectored write of the caller's buffers. `maxWriteBytes` bounds one
   * coalesced write.
   */
  constructor(
    private readonly hooks: WriteQueueHooks,
    private readonly copyWrites: () => boolean,
    private readonly maxWriteBytes = 16 * 1024 * 1024,
  ) {}

  get failed(): unknown {
    return this.failure;
  }

  write(segment: LogSegment, position: number, batches: readonly Buffer[], size: number, lastOffset: bigint): Promise<void> {
    return this.push((done) => ({ kind: 'write', segment, position, batches, size, lastOffset, done }), size);
  }

  /** Queues a step to run between writes, in order. */
  step(run: () => Promise<void>): Promise<void> {
    return this.push((done) => ({ kind: 'step', run, done }), 0);
  }

  /** Resolves when everything queued so far has been written. */
  drain(): Promise<void> {
    return this.step(async () => {});
  }

  private push(make: (done: Deferred) => Task, size: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.tasks.push(make({ resolve, reject }));
      this.pendingBytes += size;
      void this.pump();
    });
  }

  private next(): Task | undefined {
    const task = this.tasks[this.head];
    if (task === undefined) return undefined;
    this.head++;
    if (this.head === this.tasks.length) {
      this.tasks = [];
      this.head = 0;
    }
    return task;
  }

  private fail(err: unknown): void {
    if (this.failure) return;
    this.failure = err;
    this.hooks.onFailure(err);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let task = this.next(); task; task = this.next()) {
        if (this.failure) {
          if (task.kind === 'write') this.pendingBytes -= task.size;
          task.done.reject(this.failure);
        } else if (task.kind === 'step') {
          await this.runStep(task);
        } else {
          await this.runWrites(task);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async runStep(task: Extract<Task, { kind: 'step' }>): Promise<void> {
    try {
      await task.run();
      task.done.resolve();
    } catch (err) {
      this.fail(err);
      task.done.reject(err);
    }
  }

  /** Writes `first` and the writes queued right behind it into the same segment, as one write. */
  private async runWrites(first: Extract<Task, { kind: 'write' }>): Promise<void> {
    const group = [first];
    let end = first.position + first.size;
    for (let t = this.tasks[this.head]; t?.kind === 'write' && t.segment === first.segment && t.position === end; t = this.tasks[this.head]) {
      if (end - first.position + t.size > this.maxWriteBytes) break;
      group.push(t);
      end += t.size;
      this.next();
    }
    const size = end - first.position;
    const buffers = group.length === 1 ? first.batches : group.flatMap((t) => t.batches);
    try {
      const data = this.copyWrites() ? Buffer.concat(buffers, size) : null;
      await first.segment.log.write(data ? [data] : buffers, first.position);
      this.pendingBytes -= size;
      this.hooks.onWritten(first.segment, end, data, group[group.length - 1]!.lastOffset);
      for (const t of group) t.done.resolve();
    } catch (err) {
      this.pendingBytes -= size;
      this.fail(err);
      for (const t of group) t.done.reject(err);
    }
  }
}
