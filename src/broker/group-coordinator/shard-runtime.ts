/**
 * One `__consumer_offsets` partition led here: its shard and the serial queue that drives it
 * (Kafka's CoordinatorRuntime context, one per partition). Each request or timer operation runs
 * alone on the queue: the shard decides (updating its memory), the records go into one batch
 * appended to the partition, `onDurable` runs once the append returns, and only then is the
 * answer released. A failed append (or a shard that throws) leaves memory ahead of the log, so
 * the shard is dropped and rebuilt from the log before the next operation runs.
 *
 * States: loading (requests get COORDINATOR_LOAD_IN_PROGRESS) → active; failed when the log
 * cannot be replayed and closing → closed when unloaded (NOT_COORDINATOR for both).
 */
import type { Clock } from '../../common/clock.js';
import type { GroupRecord } from '../../coordinator/group/records.js';
import type { CoordinatorResult, CoordinatorTimer, DeferredResponse, GroupCoordinatorShardApi } from '../../coordinator/group/shard-api.js';
import { type CompressionCodec, ErrorCode, encodeRecordBatchSync } from '../../protocol/index.js';
import type { BrokerLogger } from '../logger.js';
import type { CoarseTimer } from './coarse-timer.js';
import type { CoordinatorLog } from './coordinator-log.js';
import { coordinatorErrorFor } from './errors.js';
import { type GroupRecordSerde, type LoadStats, replayPartition } from './loader.js';
import { SerialQueue } from './serial-queue.js';
import { ShardTimer, type TimerTask } from './shard-timer.js';

export type ShardState = 'loading' | 'active' | 'failed' | 'closing' | 'closed';

/** What an operation came to: its response (possibly still to come), or the error for the client. */
export type Outcome<R> = { readonly ok: true; readonly response: R | DeferredResponse<R> } | { readonly ok: false; readonly errorCode: number };

export interface ShardRuntimeOptions {
  readonly topic: string;
  readonly partition: number;
  readonly log: CoordinatorLog;
  readonly serde: GroupRecordSerde;
  readonly newShard: (partition: number, timer: CoordinatorTimer) => GroupCoordinatorShardApi;
  readonly timer: CoarseTimer;
  readonly clock: Clock;
  readonly logger: BrokerLogger;
  readonly compression: CompressionCodec;
  readonly loadBufferSize: number;
  /** Client operations that may wait on the queue before new ones are refused. */
  readonly maxQueued: number;
}

export interface LoadReport extends LoadStats {
  readonly durationMs: number;
}

export class ShardRuntime {
  private current: ShardState = 'loading';
  private shard: GroupCoordinatorShardApi | undefined;
  private shardTimer: ShardTimer;
  private readonly queue: SerialQueue;
  private closed: Promise<void> | undefined;
  /** Settles when the first load has ended, loaded or not. */
  readonly loaded: Promise<void>;
  /** The last completed load. */
  lastLoad: LoadReport | undefined;

  constructor(private readonly o: ShardRuntimeOptions) {
    this.queue = new SerialQueue(o.maxQueued);
    this.shardTimer = this.newTimer();
    this.loaded = this.queue.run(() => this.load(), true)!;
  }

  get partition(): number {
    return this.o.partition;
  }

  get state(): ShardState {
    return this.current;
  }

  /** The error a request gets now; NONE when the shard serves. */
  availability(): number {
    if (this.current === 'active') return ErrorCode.NONE;
    return this.current === 'loading' ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.NOT_COORDINATOR;
  }

  /** Runs a request that may write records; its response is released once they are durable. */
  write<R>(operation: (shard: GroupCoordinatorShardApi) => CoordinatorResult<R>): Promise<Outcome<R>> {
    const refused = this.availability();
    if (refused !== ErrorCode.NONE) return Promise.resolve({ ok: false, errorCode: refused });
    const queued = this.queue.run(() => this.runWrite(operation));
    return queued ?? Promise.resolve({ ok: false, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE });
  }

  /** Runs a request that only reads, in turn with the writes (so it sees only durable state). */
  read<R>(operation: (shard: GroupCoordinatorShardApi) => R): Promise<Outcome<R>> {
    return this.write((shard) => ({ records: [], response: operation(shard) }));
  }

  /** The runtime's own writes (deleted topics): queued even when the queue is full. */
  writeInternal(name: string, operation: (shard: GroupCoordinatorShardApi) => readonly GroupRecord[]): Promise<void> {
    if (this.availability() !== ErrorCode.NONE) return Promise.resolve();
    return this.queue.run(() => this.runRecords(name, () => (this.shard ? operation(this.shard) : null)), true)!;
  }

  /** Lets queued operations finish, then unloads the shard (pending answers get NOT_COORDINATOR). */
  unload(): Promise<void> {
    this.closed ??= this.close();
    return this.closed;
  }

  private async close(): Promise<void> {
    this.current = 'closing';
    while (this.queue.size > 0) await this.queue.drain();
    this.dropShard();
    this.current = 'closed';
  }

  private serving(): GroupCoordinatorShardApi | undefined {
    return this.current === 'active' || this.current === 'closing' ? this.shard : undefined;
  }

  private async runWrite<R>(operation: (shard: GroupCoordinatorShardApi) => CoordinatorResult<R>): Promise<Outcome<R>> {
    const shard = this.serving();
    if (!shard) return { ok: false, errorCode: this.availability() };
    let result: CoordinatorResult<R>;
    try {
      result = operation(shard);
    } catch (e) {
      this.o.logger.error(`group coordinator operation on ${this.name()} threw`, e);
      await this.reload('an operation threw');
      return { ok: false, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR };
    }
    const appendError = await this.persist(result.records);
    if (appendError !== ErrorCode.NONE) {
      await this.reload(`an append failed with error ${appendError}`);
      return { ok: false, errorCode: coordinatorErrorFor(appendError) };
    }
    if (result.onDurable) {
      try {
        result.onDurable();
      } catch (e) {
        this.o.logger.error(`group coordinator onDurable on ${this.name()} threw`, e);
      }
    }
    return { ok: true, response: result.response };
  }

  /** A timer operation or internal write: records only, nobody waits for an answer. */
  private async runRecords(name: string, operation: () => readonly GroupRecord[] | null): Promise<void> {
    let records: readonly GroupRecord[] | null;
    try {
      records = operation();
    } catch (e) {
      this.o.logger.error(`group coordinator ${name} on ${this.name()} threw`, e);
      await this.reload(`${name} threw`);
      return;
    }
    if (records === null) return;
    const appendError = await this.persist(records);
    if (appendError !== ErrorCode.NONE) await this.reload(`the append of ${name} failed with error ${appendError}`);
  }

  private onExpired(timer: ShardTimer, task: TimerTask): void {
    if (this.current !== 'active' || timer !== this.shardTimer) return;
    void this.queue.run(
      () => this.runRecords(`timer ${task.key}`, () => (timer === this.shardTimer && this.serving() && timer.take(task) ? task.operation() : null)),
      true,
    );
  }

  /** Encodes the records into one batch and appends it; the append's error code. */
  private async persist(records: readonly GroupRecord[]): Promise<number> {
    if (records.length === 0) return ErrorCode.NONE;
    let batch: Buffer;
    try {
      const timestamp = BigInt(this.o.clock.nowMs());
      batch = encodeRecordBatchSync({
        records: records.map((r) => ({ timestamp, ...this.o.serde.encode(r) })),
        compression: this.o.compression,
      });
    } catch (e) {
      this.o.logger.error(`encoding ${records.length} group records for ${this.name()} failed`, e);
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
    try {
      const appended = await this.o.log.append(this.o.partition, batch);
      if (appended.errorCode !== ErrorCode.NONE) {
        this.o.logger.warn(`appending ${records.length} group records to ${this.name()} failed with error ${appended.errorCode}${appended.errorMessage ? `: ${appended.errorMessage}` : ''}`);
      }
      return appended.errorCode;
    } catch (e) {
      this.o.logger.error(`appending group records to ${this.name()} failed`, e);
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
  }

  private async load(): Promise<void> {
    const started = this.o.clock.monotonicMs();
    const timer = this.shardTimer;
    try {
      const shard = this.o.newShard(this.o.partition, timer);
      const stats = await replayPartition({
        log: this.o.log,
        partition: this.o.partition,
        shard,
        serde: this.o.serde,
        loadBufferSize: this.o.loadBufferSize,
        cancelled: () => this.current !== 'loading',
      });
      if (this.current !== 'loading') throw new Error('unloaded while loading');
      shard.onLoaded();
      this.shard = shard;
      this.current = 'active';
      this.lastLoad = { ...stats, durationMs: this.o.clock.monotonicMs() - started };
      if (stats.records > 0) this.o.logger.info(`loaded ${this.name()}: ${stats.records} records in ${Math.round(this.lastLoad.durationMs)} ms`);
    } catch (e) {
      timer.close();
      if (this.current === 'loading') {
        this.current = 'failed';
        this.o.logger.error(`loading ${this.name()} failed; its groups are unavailable here`, e);
      }
    }
  }

  /** Drops the shard whose memory may be ahead of the log and replays the log into a new one. */
  private async reload(reason: string): Promise<void> {
    this.o.logger.warn(`reloading ${this.name()} from its log: ${reason}`);
    this.dropShard();
    if (this.current !== 'active') return;
    this.current = 'loading';
    this.shardTimer = this.newTimer();
    await this.load();
  }

  private dropShard(): void {
    this.shardTimer.close();
    const shard = this.shard;
    this.shard = undefined;
    if (!shard) return;
    try {
      shard.onUnloaded();
    } catch (e) {
      this.o.logger.error(`unloading the shard of ${this.name()} threw`, e);
    }
  }

  private newTimer(): ShardTimer {
    const timer: ShardTimer = new ShardTimer(this.o.timer, (task) => this.onExpired(timer, task));
    return timer;
  }

  private name(): string {
    return `${this.o.topic}-${this.o.partition}`;
  }
}
