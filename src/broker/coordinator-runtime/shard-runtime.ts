/**
 * One partition of a coordinator's internal topic led here: its shard and the serial queue that
 * drives it (Kafka's CoordinatorRuntime context, one per partition). Each request, timer
 * operation or transaction marker runs alone on the queue: the shard decides (updating its
 * memory), the records go into one batch appended to the partition, `onDurable` runs once the
 * append returns, and only then is the answer released. A failed append (or a shard that throws)
 * leaves memory ahead of the log, so the shard is dropped and rebuilt from the log before the
 * next operation runs.
 *
 * States: loading (requests get COORDINATOR_LOAD_IN_PROGRESS) → active; failed when the log
 * cannot be replayed and closing → closed when unloaded (NOT_COORDINATOR for both).
 */
import type { Clock } from '../../common/clock.js';
import type { CoordinatorResult, CoordinatorShard, DeferredResponse, TimerResult, TransactionalWrite } from '../../coordinator/runtime-api.js';
import { type CompressionCodec, ErrorCode } from '../../protocol/index.js';
import type { TxnMarker } from '../../storage/index.js';
import type { BrokerLogger } from '../logger.js';
import type { CoarseTimer } from './coarse-timer.js';
import { encodeCoordinatorBatch } from './coordinator-batch.js';
import { coordinatorErrorFor } from './errors.js';
import { CoordinatorLoadError, type LoadStats, replayPartition } from './loader.js';
import { SerialQueue } from './serial-queue.js';
import type { CoordinatorLogApi, RecordSerde, ShardContext } from './service-api.js';
import { ShardTimer, type TimerTask } from './shard-timer.js';

export type ShardState = 'loading' | 'active' | 'failed' | 'closing' | 'closed';

/** What an operation came to: its response (possibly still to come), or the error for the client. */
export type Outcome<Res> = { readonly ok: true; readonly response: Res | DeferredResponse<Res> } | { readonly ok: false; readonly errorCode: number };

export interface ShardRuntimeOptions<S extends CoordinatorShard<R>, R> {
  /** For logs: "group coordinator". */
  readonly name: string;
  readonly topic: string;
  readonly partition: number;
  readonly log: CoordinatorLogApi;
  readonly serde: RecordSerde<R>;
  readonly newShard: (context: ShardContext<R>) => S;
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
  /** The partition's leader epoch the shard loaded at. */
  readonly leaderEpoch: number;
}

export class ShardRuntime<S extends CoordinatorShard<R>, R> {
  private current: ShardState = 'loading';
  private shard: S | undefined;
  private shardTimer: ShardTimer<R>;
  private readonly queue: SerialQueue;
  private closed: Promise<void> | undefined;
  /** Settles when the first load has ended, loaded or not. */
  readonly loaded: Promise<void>;
  /** The last completed load. */
  lastLoad: LoadReport | undefined;

  constructor(private readonly o: ShardRuntimeOptions<S, R>) {
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
  write<Res>(operation: (shard: S) => CoordinatorResult<Res, R>): Promise<Outcome<Res>> {
    const refused = this.availability();
    if (refused !== ErrorCode.NONE) return Promise.resolve({ ok: false, errorCode: refused });
    const queued = this.queue.run(() => this.runWrite(operation));
    return queued ?? Promise.resolve({ ok: false, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE });
  }

  /** Runs a request that only reads, in turn with the writes (so it sees only durable state). */
  read<Res>(operation: (shard: S) => Res): Promise<Outcome<Res>> {
    return this.write((shard) => ({ records: [], response: operation(shard) }));
  }

  /** The runtime's own writes (deleted topics): queued even when the queue is full. */
  writeInternal(name: string, operation: (shard: S) => readonly R[]): Promise<void> {
    if (this.availability() !== ErrorCode.NONE) return Promise.resolve();
    return this.queue.run(() => this.runRecords(name, () => (this.shard ? operation(this.shard) : null)), true)!;
  }

  /**
   * A transaction marker for this partition (WriteTxnMarkers), in turn with the shard's writes:
   * appended, then the shard ends the producer's pending transaction. NOT_COORDINATOR when not
   * served here, COORDINATOR_LOAD_IN_PROGRESS while loading (the marker writer retries), else
   * the append's error code. A refused marker changed nothing in the shard, and one whose fate
   * is unknown (a timeout) is resent by the marker writer, so the shard is not reloaded.
   */
  writeTxnMarker(marker: TxnMarker): Promise<number> {
    const refused = this.availability();
    if (refused !== ErrorCode.NONE) return Promise.resolve(refused);
    return this.queue.run(() => this.runMarker(marker), true)!;
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

  private serving(): S | undefined {
    return this.current === 'active' || this.current === 'closing' ? this.shard : undefined;
  }

  private async runWrite<Res>(operation: (shard: S) => CoordinatorResult<Res, R>): Promise<Outcome<Res>> {
    const shard = this.serving();
    if (!shard) return { ok: false, errorCode: this.availability() };
    let result: CoordinatorResult<Res, R>;
    try {
      result = operation(shard);
    } catch (e) {
      this.o.logger.error(`${this.o.name} operation on ${this.name()} threw`, e);
      await this.reload('an operation threw');
      return { ok: false, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR };
    }
    const appendError = await this.persist(result.records, result.transactional);
    if (appendError !== ErrorCode.NONE) {
      await this.reload(`an append failed with error ${appendError}`);
      return { ok: false, errorCode: coordinatorErrorFor(appendError) };
    }
    this.durable(result.onDurable);
    return { ok: true, response: result.response };
  }

  /** A timer operation or internal write: records only, nobody waits for an answer. */
  private async runRecords(name: string, operation: () => TimerResult<R> | null): Promise<void> {
    let outcome: TimerResult<R> | null;
    try {
      outcome = operation();
    } catch (e) {
      this.o.logger.error(`${this.o.name} ${name} on ${this.name()} threw`, e);
      await this.reload(`${name} threw`);
      return;
    }
    if (outcome === null) return;
    const { records, onDurable } = 'records' in outcome ? outcome : { records: outcome, onDurable: undefined };
    const appendError = await this.persist(records);
    if (appendError !== ErrorCode.NONE) {
      await this.reload(`the append of ${name} failed with error ${appendError}`);
      return;
    }
    this.durable(onDurable);
  }

  private async runMarker(marker: TxnMarker): Promise<number> {
    const shard = this.serving();
    if (!shard) return this.availability();
    let errorCode: number;
    try {
      errorCode = (await this.o.log.appendTxnMarker(this.o.partition, marker)).errorCode;
    } catch (e) {
      this.o.logger.error(`appending a transaction marker to ${this.name()} failed`, e);
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
    if (errorCode !== ErrorCode.NONE) {
      this.o.logger.warn(`appending the ${marker.committed ? 'commit' : 'abort'} marker of producer ${marker.producerId} to ${this.name()} failed with error ${errorCode}`);
      return errorCode;
    }
    try {
      shard.replayEndTransaction?.(marker.producerId, marker.producerEpoch, marker.committed);
    } catch (e) {
      this.o.logger.error(`${this.o.name} replaying a transaction marker on ${this.name()} threw`, e);
      await this.reload('replaying a transaction marker threw');
    }
    return ErrorCode.NONE;
  }

  private durable(onDurable: (() => void) | undefined): void {
    if (!onDurable) return;
    try {
      onDurable();
    } catch (e) {
      this.o.logger.error(`${this.o.name} onDurable on ${this.name()} threw`, e);
    }
  }

  private onExpired(timer: ShardTimer<R>, task: TimerTask<R>): void {
    if (this.current !== 'active' || timer !== this.shardTimer) return;
    void this.queue.run(
      () => this.runRecords(`timer ${task.key}`, () => (timer === this.shardTimer && this.serving() && timer.take(task) ? task.operation() : null)),
      true,
    );
  }

  /** Encodes the records into one batch and appends it; the append's error code. */
  private async persist(records: readonly R[], transactional?: TransactionalWrite): Promise<number> {
    if (records.length === 0) return ErrorCode.NONE;
    let batch: Buffer;
    try {
      batch = encodeCoordinatorBatch(records, this.o.serde, { timestampMs: this.o.clock.nowMs(), compression: this.o.compression, transactional });
    } catch (e) {
      this.o.logger.error(`encoding ${records.length} records for ${this.name()} failed`, e);
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
    try {
      const appended = await this.o.log.append(this.o.partition, batch);
      if (appended.errorCode !== ErrorCode.NONE) {
        this.o.logger.warn(`appending ${records.length} records to ${this.name()} failed with error ${appended.errorCode}${appended.errorMessage ? `: ${appended.errorMessage}` : ''}`);
      }
      return appended.errorCode;
    } catch (e) {
      this.o.logger.error(`appending records to ${this.name()} failed`, e);
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
  }

  private async load(): Promise<void> {
    const started = this.o.clock.monotonicMs();
    const timer = this.shardTimer;
    try {
      const bounds = this.o.log.bounds(this.o.partition);
      if (bounds.errorCode !== ErrorCode.NONE) throw new CoordinatorLoadError(`${this.name()} is not readable here`, bounds.errorCode);
      const shard = this.o.newShard({ partition: this.o.partition, leaderEpoch: bounds.leaderEpoch, timer });
      const stats = await replayPartition({
        log: this.o.log,
        partition: this.o.partition,
        logStartOffset: bounds.logStartOffset,
        highWatermark: bounds.highWatermark,
        shard,
        serde: this.o.serde,
        loadBufferSize: this.o.loadBufferSize,
        cancelled: () => this.current !== 'loading',
      });
      if (this.current !== 'loading') throw new Error('unloaded while loading');
      shard.onLoaded();
      this.shard = shard;
      this.current = 'active';
      this.lastLoad = { ...stats, leaderEpoch: bounds.leaderEpoch, durationMs: this.o.clock.monotonicMs() - started };
      if (stats.records > 0) this.o.logger.info(`loaded ${this.name()}: ${stats.records} records in ${Math.round(this.lastLoad.durationMs)} ms`);
    } catch (e) {
      timer.close();
      if (this.current === 'loading') {
        this.current = 'failed';
        this.o.logger.error(`loading ${this.name()} failed; the ${this.o.name} is unavailable for its keys here`, e);
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

  private newTimer(): ShardTimer<R> {
    const timer: ShardTimer<R> = new ShardTimer<R>(this.o.timer, (task) => this.onExpired(timer, task));
    return timer;
  }

  private name(): string {
    return `${this.o.topic}-${this.o.partition}`;
  }
}
