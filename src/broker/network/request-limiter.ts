/**
 * queued.max.requests across the server: permits for requests taken off sockets and not yet
 * answered. A connection that finds none left registers as a waiter and stops reading; when a
 * response goes out the permit passes to waiters in the order they asked, so one busy client
 * cannot starve the rest.
 */
import { assert } from '../../common/errors.js';

export interface PermitWaiter {
  /** A permit may be free: try again (the waiter was removed from the queue first). */
  onPermitAvailable(): void;
}

export class RequestLimiter {
  private readonly maxPermits: number;
  private used = 0;
  /** Insertion-ordered; each waiter at most once; bounded by the number of open connections. */
  private readonly waiters = new Set<PermitWaiter>();

  constructor(maxPermits: number) {
    this.maxPermits = maxPermits;
  }

  get permitsUsed(): number {
    return this.used;
  }

  /** Takes a permit, or queues `waiter` to be called back when one is released. */
  tryAcquire(waiter: PermitWaiter): boolean {
    if (this.used < this.maxPermits) {
      this.waiters.delete(waiter);
      this.used++;
      return true;
    }
    this.waiters.add(waiter);
    return false;
  }

  release(count = 1): void {
    if (count === 0) return;
    assert(count > 0 && count <= this.used, `released ${count} permits with ${this.used} in use`);
    this.used -= count;
    this.wake();
  }

  /** Drops a waiter that no longer wants a permit (its connection closed). */
  forget(waiter: PermitWaiter): void {
    this.waiters.delete(waiter);
  }

  private wake(): void {
    // Each call either takes a permit or leaves the queue, so this ends.
    while (this.used < this.maxPermits) {
      const next = this.waiters.values().next();
      if (next.done === true) return;
      this.waiters.delete(next.value);
      next.value.onPermitAvailable();
    }
  }
}
