/**
 * `buffer.memory`: the bytes of records waiting to be sent or acknowledged. A send takes its
 * record's bytes first; when there is no room it waits, first come first served, up to
 * max.block.ms, so a fast producer slows down instead of growing without bound.
 */
import { ProducerTimeoutError } from '../errors.js';

interface Waiter {
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
  timer: NodeJS.Timeout | null;
}

export class BufferPool {
  private availableBytes: number;
  private readonly waiters: Waiter[] = [];

  constructor(readonly totalBytes: number) {
    this.availableBytes = totalBytes;
  }

  get usedBytes(): number {
    return this.totalBytes - this.availableBytes;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Takes `bytes` now if there is room and nobody waits; returns false otherwise. */
  tryReserve(bytes: number): boolean {
    if (this.waiters.length > 0 || bytes > this.availableBytes) return false;
    this.availableBytes -= bytes;
    return true;
  }

  /** Waits for `bytes` of room, at most `maxBlockMs`. */
  reserve(bytes: number, maxBlockMs: number): Promise<void> {
    if (this.tryReserve(bytes)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { bytes, resolve, reject, timer: null };
      waiter.timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new ProducerTimeoutError(`no room for ${bytes} bytes in buffer.memory (${this.totalBytes}) within max.block.ms (${maxBlockMs} ms)`));
        this.wake();
      }, maxBlockMs);
      this.waiters.push(waiter);
    });
  }

  release(bytes: number): void {
    this.availableBytes = Math.min(this.totalBytes, this.availableBytes + bytes);
    this.wake();
  }

  /** Fails every waiter (the producer is closing). */
  failWaiters(error: Error): void {
    for (const w of this.waiters.splice(0)) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(error);
    }
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.waiters[0]!.bytes <= this.availableBytes) {
      const w = this.waiters.shift()!;
      this.availableBytes -= w.bytes;
      if (w.timer) clearTimeout(w.timer);
      w.resolve();
    }
  }
}
