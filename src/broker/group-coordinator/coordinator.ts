/**
 * The broker's group coordinator (Kafka's GroupCoordinatorService): a CoordinatorService over
 * `__consumer_offsets` whose shards are group coordinator shards, plus what is group-specific —
 * the shards' settings, the enabled rebalance protocols, dropping the offsets of deleted topics.
 * Handlers call `write`/`read` with the shard operation and the response to give when the shard
 * cannot answer (not here, loading, the write failed); the transaction coordinator's markers for
 * `__consumer_offsets` partitions come in through `writeTxnMarker`.
 */
import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';
import type { GroupRecord } from '../../coordinator/group/records.js';
import type { CoordinatorResult, GroupCoordinatorShardApi, GroupShardOptions } from '../../coordinator/group/shard-api.js';
import type { MetadataManager, MetadataPublisher } from '../../metadata/index.js';
import type { TxnMarker } from '../../storage/index.js';
import { CoordinatorService } from '../coordinator-runtime/service.js';
import type { CoordinatorLogApi, CoordinatorNode, RecordSerde } from '../coordinator-runtime/service-api.js';
import type { LoadReport } from '../coordinator-runtime/shard-runtime.js';
import type { BrokerLogger } from '../logger.js';
import { type GroupRuntimeConfig, offsetsTopicSpec } from './config.js';

export interface GroupCoordinatorOptions {
  readonly nodeId: number;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: BrokerLogger;
  readonly metadata: MetadataManager;
  readonly log: CoordinatorLogApi;
  readonly config: GroupRuntimeConfig;
  readonly newShard: (options: GroupShardOptions) => GroupCoordinatorShardApi;
  readonly serde: RecordSerde<GroupRecord>;
  /** This broker's advertised endpoints (FindCoordinator answers with the one of the request's listener). */
  readonly advertisedEndpoints: () => readonly { readonly listenerName: string; readonly host: string; readonly port: number }[];
  /** Client operations waiting per shard before new ones are refused. Default 4096. */
  readonly maxQueuedPerShard?: number;
}

export class GroupCoordinator {
  private readonly service: CoordinatorService<GroupCoordinatorShardApi, GroupRecord>;

  constructor(private readonly o: GroupCoordinatorOptions) {
    this.service = new CoordinatorService<GroupCoordinatorShardApi, GroupRecord>({
      name: 'group coordinator',
      topic: offsetsTopicSpec(o.config),
      nodeId: o.nodeId,
      clock: o.clock,
      logger: o.logger,
      metadata: o.metadata,
      log: o.log,
      serde: o.serde,
      newShard: (context) => o.newShard({
        partition: context.partition, config: o.config.shard, clock: o.clock, random: o.random, timer: context.timer, metadata: () => o.metadata.image,
      }),
      compression: o.config.offsetsTopicCompression,
      loadBufferSize: o.config.offsetsLoadBufferSize,
      advertisedEndpoints: o.advertisedEndpoints,
      ...(o.maxQueuedPerShard === undefined ? {} : { maxQueuedPerShard: o.maxQueuedPerShard }),
      // Deleted topics lose their committed offsets in every group.
      onTopicsDeleted: (shard, topicNames) => shard.onTopicsDeleted(topicNames),
    });
  }

  /** Follows the metadata image (added after LogSync, so shards load from open logs). */
  get publisher(): MetadataPublisher {
    return this.service.publisher;
  }

  /** Starts following the metadata: shards load for the partitions led here. */
  start(): Promise<void> {
    return this.service.start();
  }

  /** Refuses new requests, lets queued operations finish, unloads every shard, stops the timer. */
  stop(): Promise<void> {
    return this.service.stop();
  }

  /** The configs the coordinator runs with (handlers check session timeouts against them). */
  get settings(): GroupRuntimeConfig {
    return this.o.config;
  }

  isProtocolEnabled(protocol: 'classic' | 'consumer'): boolean {
    return this.o.config.rebalanceProtocols.includes(protocol);
  }

  /** The partition count of `__consumer_offsets` (the configured one until it exists). */
  get partitionCount(): number {
    return this.service.partitionCount;
  }

  partitionFor(groupId: string): number {
    return this.service.partitionFor(groupId);
  }

  /** Items grouped by the partition owning their group id, in first-seen order. */
  byPartition<T>(items: readonly T[], groupIdOf: (item: T) => string): Map<number, T[]> {
    return this.service.byPartition(items, groupIdOf);
  }

  /** A request that may write records, on the shard owning `groupId`; `onError` builds the answer when it cannot run. */
  write<Res>(groupId: string, operation: (shard: GroupCoordinatorShardApi) => CoordinatorResult<Res>, onError: (errorCode: number) => Res): Promise<Res> {
    return this.service.write(groupId, operation, onError);
  }

  /** A request that only reads, on the shard owning `groupId`, in turn with its writes. */
  read<Res>(groupId: string, operation: (shard: GroupCoordinatorShardApi) => Res, onError: (errorCode: number) => Res): Promise<Res> {
    return this.service.read(groupId, operation, onError);
  }

  /** A read on every shard (ListGroups), merged; COORDINATOR_LOAD_IN_PROGRESS while one loads. */
  readAll<Res>(operation: (shard: GroupCoordinatorShardApi) => readonly Res[]): Promise<{ errorCode: number; results: Res[] }> {
    return this.service.readAll(operation);
  }

  /** FindCoordinator for a group; a missing `__consumer_offsets` is created first. */
  findCoordinator(groupId: string, listenerName: string): Promise<CoordinatorNode> {
    return this.service.findCoordinator(groupId, listenerName);
  }

  /** Creates `__consumer_offsets` if missing and waits for its shards to load. */
  ensureOffsetsTopic(): Promise<number> {
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

  /**
   * A transaction marker for a `__consumer_offsets` partition (WriteTxnMarkers): appended on
   * the partition's queue, then the producer's pending transactional offsets are committed or
   * dropped. NOT_COORDINATOR when the partition is not served here, COORDINATOR_LOAD_IN_PROGRESS
   * while it loads, else the append's error code.
   */
  writeTxnMarker(partition: number, marker: TxnMarker): Promise<number> {
    return this.service.writeTxnMarker(partition, marker);
  }
}
