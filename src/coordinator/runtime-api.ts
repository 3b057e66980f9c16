/**
 * The contract every coordinator shard (group, transaction) shares with the runtime that drives
 * it: a deterministic state machine per partition of an internal topic, whose operations return
 * the records to persist and the response, and whose state is rebuilt by replaying the records.
 *
 * The runtime appends an operation's records as one batch and releases the response only once
 * the batch is durable. A result may ask for a transactional batch (TxnOffsetCommit) and a
 * shard may hear transaction markers written to its partition (replayEndTransaction).
 */

/** A response that is known later (JoinGroup waits for the rebalance; SyncGroup for the leader). */
export class DeferredResponse<T> {
  readonly promise: Promise<T>;
  private resolveFn!: (value: T) => void;
  private done = false;
  constructor() {
    this.promise = new Promise<T>((resolve) => { this.resolveFn = resolve; });
  }
  get completed(): boolean { return this.done; }
  complete(value: T): void {
    if (this.done) return;
    this.done = true;
    this.resolveFn(value);
  }
}

/** The producer a transactional batch is written for (TxnOffsetCommit records). */
export interface TransactionalWrite {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

export interface CoordinatorResult<Res, Rec> {
  /** Records to append to the shard's partition; the response is sent only once they are durable. */
  readonly records: readonly Rec[];
  readonly response: Res | DeferredResponse<Res>;
  /**
   * Runs once the records are durable, before the response is sent (SyncGroup completes the
   * followers' responses here; EndTxn starts writing the markers).
   */
  readonly onDurable?: () => void;
  /** Write the records as a transactional batch of this producer (not visible until its marker). */
  readonly transactional?: TransactionalWrite;
}

/** What a timer operation returns: records to persist, and optionally what to do once durable. */
export type TimerResult<Rec> = readonly Rec[] | { readonly records: readonly Rec[]; readonly onDurable?: () => void };

/**
 * Timers owned by the runtime. `operation` runs later on the shard's serial queue (never
 * re-entrantly) and returns records to persist. Scheduling an existing key replaces it.
 */
export interface CoordinatorTimer<Rec> {
  schedule(key: string, delayMs: number, operation: () => TimerResult<Rec>): void;
  cancel(key: string): void;
  isScheduled(key: string): boolean;
}

/** Where a replayed record sits in the log. */
export interface ReplayContext {
  readonly offset: bigint;
  /** The batch's producer id (-1 when none). */
  readonly producerId: bigint;
  readonly producerEpoch: number;
  /** The batch is transactional: its records count only once a commit marker follows. */
  readonly isTransactional: boolean;
}

/** What every shard offers the runtime. */
export interface CoordinatorShard<Rec> {
  /** Rebuilds state from one persisted record (at load; records in log order). */
  replay(record: Rec, context: ReplayContext): void;
  /**
   * A transaction marker in the shard's partition (at load, and after the runtime wrote one):
   * the producer's pending transactional records are committed or dropped.
   */
  replayEndTransaction?(producerId: bigint, producerEpoch: number, committed: boolean): void;
  /** Called once after the last record at load: re-arms timers, restarts pending work. */
  onLoaded(): void;
  /** The shard is unloaded (shutdown, leadership moved): cancel timers, answer pending requests NOT_COORDINATOR. */
  onUnloaded(): void;
}

/** Who sent the request (from the request header and the connection). */
export interface RequestContext {
  readonly apiVersion: number;
  readonly clientId: string;
  readonly clientHost: string;
}
