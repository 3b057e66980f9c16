/**
 * Flushes run one at a time beside the writer (an fsync does not block appends to the same
 * file). A request made while a flush runs waits for the next one, which every request made in
 * the meantime shares: one fsync answers many appends (group commit).
 */
export class GroupFlush {
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly flushOnce: () => Promise<void>) {}

  /** A flush that starts no earlier than now. */
  request(): Promise<void> {
    if (!this.running) return this.start();
    this.queued ??= this.running.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  private startQueued(): Promise<void> {
    this.queued = null;
    return this.start();
  }

  private start(): Promise<void> {
    const run = this.flushOnce().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  /** Resolves (never rejects) when no flush is running or queued. */
  async settled(): Promise<void> {
    while (this.running || this.queued) {
      await (this.queued ?? this.running)?.catch(() => {});
    }
  }
}
