/**
 * The contract of the generic coordinator runtime (Kafka's CoordinatorRuntime): one serial
 * queue per partition of an internal topic led here (`__consumer_offsets`,
 * `__transaction_state`), driving a deterministic shard (../../coordinator/runtime-api.ts).
 * The group and transaction coordinators are thin layers over one `CoordinatorService` each.
 */
import type { Clock } from '../../common/clock.js';
import type { CoordinatorResult, CoordinatorShard, CoordinatorTimer } from '../../coordinator/runtime-api.js';
import type { MetadataManager } from '../../metadata/index.js';
import type { CompressionCodec } from '../../protocol/index.js';
import type { TxnMarker } from '../../storage/index.js';
import type { BrokerLogger } from '../logger.js';

/** Records ⇄ key/value bytes of the internal topic. `decode` answers null for a record type the shard does not handle. */
export interface RecordSerde<R> {
  encode(record: R): { key: Buffer; value: Buffer | null };
  decode(key: Buffer, value: Buffer | null): R | null;
}

/** How the internal topic is created on first use (Kafka's AutoTopicCreationManager for internal topics). */
export interface InternalTopicSpec {
  readonly name: string;
  readonly numPartitions: number;
  /** Capped by the live brokers at creation. */
  readonly replicationFactor: number;
  /** Topic configs (cleanup.policy=compact, segment.bytes, ...). */
  readonly configs: readonly { readonly name: string; readonly value: string }[];
}

/** What a shard factory gets from the runtime. */
export interface ShardContext<R> {
  readonly partition: number;
  /** The partition's leader epoch when this shard loaded (the transaction coordinator's epoch). */
  readonly leaderEpoch: number;
  readonly timer: CoordinatorTimer<R>;
}

export interface CoordinatorServiceOptions<S extends CoordinatorShard<R>, R> {
  /** For logs: "group coordinator", "transaction coordinator". */
  readonly name: string;
  readonly topic: InternalTopicSpec;
  readonly nodeId: number;
  readonly clock: Clock;
  readonly logger: BrokerLogger;
  readonly metadata: MetadataManager;
  readonly log: CoordinatorLogApi;
  readonly serde: RecordSerde<R>;
  readonly newShard: (context: ShardContext<R>) => S;
  /** The codec of the batches the runtime writes. */
  readonly compression: CompressionCodec;
  /** Bytes read per step while loading a partition (offsets.load.buffer.size, transaction.state.log.load.buffer.size). */
  readonly loadBufferSize: number;
  /** This broker's advertised endpoints (FindCoordinator answers with the one of the request's listener). */
  readonly advertisedEndpoints: () => readonly { readonly listenerName: string; readonly host: string; readonly port: number }[];
  /** Client operations waiting per shard before new ones are refused. Default 4096. */
  readonly maxQueuedPerShard?: number;
  /** Records to write when topics are deleted from the cluster (the group coordinator drops their offsets). */
  readonly onTopicsDeleted?: (shard: S, topicNames: readonly string[]) => readonly R[];
}

/** The coordinator's view of its partitions (backed by the replica manager; an in-memory twin for tests). */
export interface CoordinatorLogApi {
  /** Appends one v2 batch (origin coordinator); durable when it resolves with NONE. */
  append(partition: number, batch: Buffer): Promise<{ errorCode: number; errorMessage: string | null }>;
  /** Appends a transaction marker (control batch) to the partition. */
  appendTxnMarker(partition: number, marker: TxnMarker): Promise<{ errorCode: number }>;
  /** Where loading starts and stops, or an error code when the partition is not led here. */
  bounds(partition: number): { errorCode: number; logStartOffset: bigint; highWatermark: bigint; leaderEpoch: number };
  read(partition: number, offset: bigint, maxBytes: number): Promise<{ errorCode: number; records: Buffer; highWatermark: bigint }>;
}

/** A coordinator's address as FindCoordinator reports it. */
export interface CoordinatorNode {
  readonly errorCode: number;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export interface CoordinatorServiceApi<S extends CoordinatorShard<R>, R> {
  start(): Promise<void>;
  /** Refuses new requests, lets queued operations finish, unloads every shard, stops the timer. */
  stop(): Promise<void>;
  /** The partition count of the topic (the configured one until it exists). */
  readonly partitionCount: number;
  /** Kafka's `abs(key.hashCode) % partitionCount`. */
  partitionFor(key: string): number;
  /** Items grouped by the partition owning their key, in first-seen order. */
  byPartition<T>(items: readonly T[], keyOf: (item: T) => string): Map<number, T[]>;
  /**
   * A request that may write records, on the shard owning `key`; `onError` builds the answer
   * when it cannot run (it may be of another type than the shard's answer).
   */
  write<Res, Err = Res>(key: string, operation: (shard: S) => CoordinatorResult<Res, R>, onError: (errorCode: number) => Err): Promise<Res | Err>;
  /** A request that only reads, in turn with the writes. */
  read<Res, Err = Res>(key: string, operation: (shard: S) => Res, onError: (errorCode: number) => Err): Promise<Res | Err>;
  /** A read on every shard led here, merged (ListGroups, ListTransactions). */
  readAll<Res>(operation: (shard: S) => readonly Res[]): Promise<{ errorCode: number; results: Res[] }>;
  /** FindCoordinator: the leader of the key's partition; creates the topic first when missing. */
  findCoordinator(key: string, listenerName: string): Promise<CoordinatorNode>;
  /** Creates the topic if missing and waits for its shards to load; NONE or the reason it does not exist. */
  ensureTopic(): Promise<number>;
  whenLoaded(): Promise<void>;
  /**
   * WriteTxnMarkers for a partition of this topic (`__consumer_offsets`): on the partition's
   * queue, the marker is appended, then the shard's replayEndTransaction runs. The error code
   * (NOT_COORDINATOR when the partition is not served here).
   */
  writeTxnMarker(partition: number, marker: TxnMarker): Promise<number>;
}
