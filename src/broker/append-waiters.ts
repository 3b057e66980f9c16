/**
 * Long-polling fetches wait here for appends (Kafka's fetch purgatory): a waiter is woken by an
 * append to any partition it watches, or by its timeout. One waiter per waiting fetch, and a
 * fetch waits only while its connection waits for the answer, so the set is bounded by the
 * connections.
 */
export class AppendWaiters {
  private readonly byPartition = new Map<string, Set<() => void>>();

  /** Resolves on the first append to one of `keys`, or after `timeoutMs`. */
  wait(keys: readonly string[], timeoutMs: number): Promise<void> {
    if (timeoutMs <= 0) return Promise.resolve();
    // Nothing to watch (a fetch of no partitions): just wait out the time, as Kafka does.
    if (keys.length === 0) return new Promise((resolve) => setTimeout(resolve, timeoutMs));
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        for (const key of keys) {
          const set = this.byPartition.get(key);
          set?.delete(wake);
          if (set?.size === 0) this.byPartition.delete(key);
        }
        resolve();
      };
      for (const key of keys) {
        let set = this.byPartition.get(key);
        if (!set) this.byPartition.set(key, (set = new Set()));
        set.add(wake);
      }
      const timer = setTimeout(wake, timeoutMs);
    });
  }

  notify(key: string): void {
    const set = this.byPartition.get(key);
    if (!set) return;
    for (const wake of [...set]) wake();
  }

  /** Wakes every waiter (shutdown). */
  wakeAll(): void {
    for (const set of [...this.byPartition.values()]) for (const wake of [...set]) wake();
  }
}
