/**
 * The broker's transaction coordinator (Kafka's TransactionCoordinator): a CoordinatorService
 * over `__transaction_state` whose shards are transaction coordinator shards, plus what is
 * transaction-specific — the shards' settings and producer ids, and the marker writer that
 * finishes a transaction once its Prepare* record is durable (markers to every partition, then
 * CompleteCommit/CompleteAbort on the shard). Each shard's coordinator epoch is the leader epoch
 * of its partition when it loaded; markers carry it, so a deposed coordinator's are refused.
 */
import type { Clock } from '../../common/clock.js';
import type {
  MarkerJob, ProducerIdSource, TransactionCoordinatorShardApi, TransactionRecord, TransactionShardOptions,
} from '../../coordinator/transaction/shard-api.js';
import type { CoordinatorResult } from '../../coordinator/runtime-api.js';
import type { MetadataManager, MetadataPublisher } from '../../metadata/index.js';
import { CompressionCodec, ErrorCode } from '../../protocol/index.js';
import type { TxnMarker } from '../../storage/index.js';
import { CoordinatorService } from '../coordinator-runtime/service.js';
import type { CoordinatorLogApi, CoordinatorNode, RecordSerde } from '../coordinator-runtime/service-api.js';
import type { LoadReport } from '../coordinator-runtime/shard-runtime.js';
import { TRANSACTION_STATE_TOPIC } from '../internal-topics.js';
import type { BrokerLogger } from '../logger.js';
import { type TransactionRuntimeConfig, transactionStateTopicSpec } from './config.js';
import { MarkerWriter } from './marker-writer.js';
import type { BackoffSettings, RetryTimer } from './retry-timer.js';

export interface TransactionCoordinatorOptions {
  readonly nodeId: number;
  readonly clock: Clock;
  readonly logger: BrokerLogger;
  readonly metadata: MetadataManager;
  readonly log: CoordinatorLogApi;
  readonly config: TransactionRuntimeConfig;
  readonly newShard: (options: TransactionShardOptions) => TransactionCoordinatorShardApi;
  readonly serde: RecordSerde<TransactionRecord>;
  /** New producer ids for transactional ids (the broker's ProducerIdManager). */
  readonly producerIds: ProducerIdSource;
  /** Appends one marker to a partition (txn-markers.ts `writeTxnMarker`); the error code. */
  readonly writeMarker: (topic: string, partition: number, marker: TxnMarker) => Promise<number>;
  /** The `__consumer_offsets` partition of a group (AddOffsetsToTxn). */
  readonly offsetsPartitionFor: (groupId: string) => number;
  /** This broker's advertised endpoints (FindCoordinator answers with the one of the request's listener). */
  readonly advertisedEndpoints: () => readonly { readonly listenerName: string; readonly host: string; readonly port: number }[];
  /** Where marker retries wait (the broker's CoarseTimer for the transaction side). */
  readonly retryTimer: RetryTimer;
  readonly markerBackoff?: BackoffSettings;
  /** Client operations waiting per shard before new ones are refused. Default 4096. */
  readonly maxQueuedPerShard?: number;
}

export class TransactionCoordinator {
  private readonly service: CoordinatorService<TransactionCoordinatorShardApi, TransactionRecord>;
  /** The transactions whose markers are being written. */
  readonly markers: MarkerWriter;

  constructor(private readonly o: TransactionCoordinatorOptions) {
    this.markers = new MarkerWriter({
      writeMarker: o.writeMarker,
      complete: (job) => this.complete(job),
      isCurrent: (job) => this.isCurrent(job),
      partitionExists: (topic, partition) => o.metadata.image.topicsByName.get(topic)?.partitions.has(partition) ?? false,
      timer: o.retryTimer,
      logger: o.logger,
      ...(o.markerBackoff ? { backoff: o.markerBackoff } : {}),
    });
    this.service = new CoordinatorService<TransactionCoordinatorShardApi, TransactionRecord>({
      name: 'transaction coordinator',
      topic: transactionStateTopicSpec(o.config),
      nodeId: o.nodeId,
      clock: o.clock,
      logger: o.logger,
      metadata: o.metadata,
      log: o.log,
      serde: o.serde,
      newShard: (context) => o.newShard({
        partition: context.partition,
        coordinatorEpoch: context.leaderEpoch,
        config: o.config.shard,
        clock: o.clock,
        timer: context.timer,
        producerIds: o.producerIds,
        markers: this.markers,
        offsetsPartitionFor: o.offsetsPartitionFor,
      }),
      // Kafka writes `__transaction_state` uncompressed.
      compression: CompressionCodec.None,
      loadBufferSize: o.config.loadBufferSize,
      advertisedEndpoints: o.advertisedEndpoints,
      ...(o.maxQueuedPerShard === undefined ? {} : { maxQueuedPerShard: o.maxQueuedPerShard }),
    });
  }

  /** Follows the metadata image (added after LogSync, so shards load from open logs). */
  get publisher(): MetadataPublisher {
    return this.service.publisher;
  }

  /** Starts following the metadata: shards load for the partitions led here (and resend the markers of Prepare* transactions). */
  start(): Promise<void> {
    return this.service.start();
  }

  /**
   * Stops the marker writer (rounds under way finish; unfinished jobs are resent at the next
   * load), then the service: queued operations finish and every shard unloads.
   */
  async stop(): Promise<void> {
    await this.markers.stop();
    await this.service.stop();
  }

  /** The configs the coordinator runs with. */
  get settings(): TransactionRuntimeConfig {
    return this.o.config;
  }

  /** The partition count of `__transaction_state` (the configured one until it exists). */
  get partitionCount(): number {
    return this.service.partitionCount;
  }

  /** Kafka's `abs(transactionalId.hashCode) % partitionCount`. */
  partitionFor(transactionalId: string): number {
    return this.service.partitionFor(transactionalId);
  }

  /** Items grouped by the partition owning their transactional id, in first-seen order. */
  byPartition<T>(items: readonly T[], transactionalIdOf: (item: T) => string): Map<number, T[]> {
    return this.service.byPartition(items, transactionalIdOf);
  }

  /** A request that may write records, on the shard owning `transactionalId`; `onError` builds the answer when it cannot run. */
  write<Res>(
    transactionalId: string,
    operation: (shard: TransactionCoordinatorShardApi) => CoordinatorResult<Res, TransactionRecord>,
    onError: (errorCode: number) => Res,
  ): Promise<Res> {
    return this.service.write(transactionalId, operation, onError);
  }

  /** A request that only reads, on the shard owning `transactionalId`, in turn with its writes. */
  read<Res>(transactionalId: string, operation: (shard: TransactionCoordinatorShardApi) => Res, onError: (errorCode: number) => Res): Promise<Res> {
    return this.service.read(transactionalId, operation, onError);
  }

  /** A read on every shard led here (ListTransactions), merged; COORDINATOR_LOAD_IN_PROGRESS while one loads. */
  readAll<Res>(operation: (shard: TransactionCoordinatorShardApi) => readonly Res[]): Promise<{ errorCode: number; results: Res[] }> {
    return this.service.readAll(operation);
  }

  /** FindCoordinator for a transactional id; a missing `__transaction_state` is created first. */
  findCoordinator(transactionalId: string, listenerName: string): Promise<CoordinatorNode> {
    return this.service.findCoordinator(transactionalId, listenerName);
  }

  /** Creates `__transaction_state` if missing and waits for its shards to load. */
  ensureTransactionStateTopic(): Promise<number> {
    return this.service.ensureTopic();
  }

  /** Resolves once every shard known now has finished loading (or failed to). */
  whenLoaded(): Promise<void> {
    return this.service.whenLoaded();
  }

  /** The last load of each partition led here. */
  loadReports(): Map<number, LoadReport> {
    return this.service.loadReports();
  }

  /** Persists the end of a transaction whose markers are all written; NONE or why it could not run. */
  private complete(job: MarkerJob): Promise<number> {
    return this.service.write<number>(
      job.transactionalId,
      (shard) => ({ ...shard.completeTransaction(job.transactionalId, job.producerId, job.producerEpoch), response: ErrorCode.NONE }),
      (errorCode) => errorCode,
    );
  }

  /** Whether the job's partition is still led here with the epoch its shard loaded under. */
  private isCurrent(job: MarkerJob): boolean {
    const topic = this.o.metadata.image.topicsByName.get(TRANSACTION_STATE_TOPIC);
    const partition = topic?.partitions.get(this.partitionFor(job.transactionalId));
    return partition?.leader === this.o.nodeId && partition.leaderEpoch === job.coordinatorEpoch;
  }
}
