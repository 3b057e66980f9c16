/**
 * The broker's group coordinator (Kafka's GroupCoordinatorService over its CoordinatorRuntime):
 * one ShardRuntime per `__consumer_offsets` partition this node leads, kept in step with the
 * metadata image; requests routed to the shard owning their group; one coarse timer for all
 * shards. Handlers call `write`/`read` with the shard operation and the response to give when the
 * shard cannot answer (not here, loading, the write failed).
 */
import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';
import { DeferredResponse, type CoordinatorResult, type GroupCoordinatorShardApi, type GroupShardOptions } from '../../coordinator/group/shard-api.js';
import type { MetadataManager, MetadataPublisher, MetadataUpdate } from '../../metadata/index.js';
import { ErrorCode } from '../../protocol/index.js';
import { CONSUMER_OFFSETS_TOPIC } from '../internal-topics.js';
import type { BrokerLogger } from '../logger.js';
import { CoarseTimer } from './coarse-timer.js';
import type { GroupRuntimeConfig } from './config.js';
import type { CoordinatorLog } from './coordinator-log.js';
import type { GroupRecordSerde } from './loader.js';
import { createOffsetsTopic } from './offsets-topic.js';
import { partitionForGroup } from './partition-for.js';
import { type LoadReport, ShardRuntime } from './shard-runtime.js';

export interface GroupCoordinatorOptions {
  readonly nodeId: number;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: BrokerLogger;
  readonly metadata: MetadataManager;
  readonly log: CoordinatorLog;
  readonly config: GroupRuntimeConfig;
  readonly newShard: (options: GroupShardOptions) => GroupCoordinatorShardApi;
  readonly serde: GroupRecordSerde;
  /** This broker's advertised endpoints (FindCoordinator answers with the one of the request's listener). */
  readonly advertisedEndpoints: () => readonly { readonly listenerName: string; readonly host: string; readonly port: number }[];
  /** Client operations waiting per shard before new ones are refused. Default 4096. */
  readonly maxQueuedPerShard?: number;
}

/** A coordinator's address as FindCoordinator reports it. */
export interface CoordinatorNode {
  readonly errorCode: number;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

const NO_NODE = { nodeId: -1, host: '', port: -1 } as const;

export class GroupCoordinator {
  private readonly shards = new Map<number, ShardRuntime>();
  private readonly timer: CoarseTimer;
  private running = false;
  private topicCreation: Promise<number> | undefined;
  readonly publisher: MetadataPublisher;

  constructor(private readonly o: GroupCoordinatorOptions) {
    this.timer = new CoarseTimer(o.clock, (e) => o.logger.error('a group coordinator timer failed', e));
    this.publisher = { name: 'group-coordinator', onMetadataUpdate: (u) => this.onMetadataUpdate(u) };
  }

  /** Starts following the metadata: shards load for the partitions led here. */
  async start(): Promise<void> {
    this.running = true;
    await this.o.metadata.addPublisher(this.publisher);
  }

  /** Refuses new requests, lets queued operations finish, unloads every shard, stops the timer. */
  async stop(): Promise<void> {
    this.running = false;
    this.o.metadata.removePublisher(this.publisher);
    await Promise.all([...this.shards.values()].map((s) => s.unload()));
    this.shards.clear();
    this.timer.stop();
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
    return this.o.metadata.image.topicsByName.get(CONSUMER_OFFSETS_TOPIC)?.partitions.size || this.o.config.offsetsTopicNumPartitions;
  }

  partitionFor(groupId: string): number {
    return partitionForGroup(groupId, this.partitionCount);
  }

  /** Group ids by the partition owning them, in first-seen order. */
  byPartition<T>(items: readonly T[], groupIdOf: (item: T) => string): Map<number, T[]> {
    const out = new Map<number, T[]>();
    for (const item of items) {
      const p = this.partitionFor(groupIdOf(item));
      const list = out.get(p);
      if (list) list.push(item);
      else out.set(p, [item]);
    }
    return out;
  }

  /** A request that may write records, on the shard owning `groupId`; `onError` builds the answer when it cannot run. */
  async write<R>(groupId: string, operation: (shard: GroupCoordinatorShardApi) => CoordinatorResult<R>, onError: (errorCode: number) => R): Promise<R> {
    const shard = this.shardFor(groupId);
    if (typeof shard === 'number') return onError(shard);
    const outcome = await shard.write(operation);
    if (!outcome.ok) return onError(outcome.errorCode);
    return outcome.response instanceof DeferredResponse ? outcome.response.promise : outcome.response;
  }

  /** A request that only reads, on the shard owning `groupId`. */
  async read<R>(groupId: string, operation: (shard: GroupCoordinatorShardApi) => R, onError: (errorCode: number) => R): Promise<R> {
    const shard = this.shardFor(groupId);
    if (typeof shard === 'number') return onError(shard);
    const outcome = await shard.read(operation);
    if (!outcome.ok) return onError(outcome.errorCode);
    return outcome.response as R;
  }

  /**
   * A read on every shard (ListGroups): results merged; shards not served here are skipped, a
   * shard still loading makes the whole answer COORDINATOR_LOAD_IN_PROGRESS (as Kafka).
   */
  async readAll<R>(operation: (shard: GroupCoordinatorShardApi) => readonly R[]): Promise<{ errorCode: number; results: R[] }> {
    if (!this.running) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, results: [] };
    const outcomes = await Promise.all([...this.shards.values()].map((s) => s.read(operation)));
    const results: R[] = [];
    let errorCode: number = ErrorCode.NONE;
    for (const outcome of outcomes) {
      if (outcome.ok) results.push(...(outcome.response as readonly R[]));
      else if (outcome.errorCode !== ErrorCode.NOT_COORDINATOR && errorCode === ErrorCode.NONE) errorCode = outcome.errorCode;
    }
    return errorCode === ErrorCode.NONE ? { errorCode, results } : { errorCode, results: [] };
  }

  /**
   * FindCoordinator for a group: the leader of its partition, at the address of the listener the
   * request came in on. A missing `__consumer_offsets` is created first.
   */
  async findCoordinator(groupId: string, listenerName: string): Promise<CoordinatorNode> {
    if (!this.running) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, ...NO_NODE };
    // The topic is in the image before its shards start: a creation under way is waited for.
    if (this.topicCreation || !this.o.metadata.image.topicsByName.has(CONSUMER_OFFSETS_TOPIC)) {
      const created = await this.ensureOffsetsTopic();
      if (created !== ErrorCode.NONE) return { errorCode: created, ...NO_NODE };
    }
    const image = this.o.metadata.image;
    const topic = image.topicsByName.get(CONSUMER_OFFSETS_TOPIC);
    const leader = topic?.partitions.get(partitionForGroup(groupId, topic.partitions.size))?.leader ?? -1;
    const endpoint = leader === this.o.nodeId
      ? this.o.advertisedEndpoints().find((e) => e.listenerName === listenerName)
      : image.brokers.get(leader)?.endpoints.find((e) => e.name === listenerName);
    if (!endpoint || (leader !== this.o.nodeId && image.brokers.get(leader)?.fenced)) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, ...NO_NODE };
    return { errorCode: ErrorCode.NONE, nodeId: leader, host: endpoint.host, port: endpoint.port };
  }

  /** Creates `__consumer_offsets` if missing (one creation at a time) and waits for its shards to load. */
  ensureOffsetsTopic(): Promise<number> {
    if (this.topicCreation) return this.topicCreation;
    if (this.o.metadata.image.topicsByName.has(CONSUMER_OFFSETS_TOPIC)) return Promise.resolve(ErrorCode.NONE);
    this.topicCreation = (async () => {
      const code = await createOffsetsTopic(this.o.metadata, this.o.config, this.o.logger);
      if (code === ErrorCode.NONE) await this.whenLoaded();
      return code;
    })().finally(() => {
      this.topicCreation = undefined;
    });
    return this.topicCreation;
  }

  /** Resolves once every shard known now has finished loading (or failed to). */
  async whenLoaded(): Promise<void> {
    await Promise.all([...this.shards.values()].map((s) => s.loaded));
  }

  /** The last load of each partition led here. */
  loadReports(): Map<number, LoadReport> {
    const out = new Map<number, LoadReport>();
    for (const [p, s] of this.shards) if (s.lastLoad) out.set(p, s.lastLoad);
    return out;
  }

  /**
   * The shard owning `groupId`, or the error for its requests: COORDINATOR_NOT_AVAILABLE when
   * stopped, NOT_COORDINATOR when the partition is not led here (or `__consumer_offsets` does not
   * exist yet: it is created in the background), COORDINATOR_LOAD_IN_PROGRESS when the image says
   * it is led here but the publisher has not started its shard yet.
   */
  private shardFor(groupId: string): ShardRuntime | number {
    if (!this.running) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const topic = this.o.metadata.image.topicsByName.get(CONSUMER_OFFSETS_TOPIC);
    if (!topic) {
      void this.ensureOffsetsTopic();
      return ErrorCode.NOT_COORDINATOR;
    }
    const partition = partitionForGroup(groupId, topic.partitions.size);
    const shard = this.shards.get(partition);
    if (shard) return shard;
    return topic.partitions.get(partition)?.leader === this.o.nodeId ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.NOT_COORDINATOR;
  }

  /**
   * Follows the metadata without waiting on loads: shards start for partitions that came to be
   * led here and unload for those that left; deleted topics lose their committed offsets.
   */
  private onMetadataUpdate(u: MetadataUpdate): void {
    if (!this.running) return;
    const deleted = [...u.changes.deletedTopics.values()].map((t) => t.name);
    if (deleted.includes(CONSUMER_OFFSETS_TOPIC)) {
      for (const [p, shard] of this.shards) {
        void shard.unload();
        this.shards.delete(p);
      }
    }
    const others = deleted.filter((name) => name !== CONSUMER_OFFSETS_TOPIC);
    if (others.length > 0) {
      for (const shard of this.shards.values()) void shard.writeInternal('deleted topics', (s) => s.onTopicsDeleted(others));
    }
    const topic = u.image.topicsByName.get(CONSUMER_OFFSETS_TOPIC);
    const changed = topic ? u.changes.changedPartitions.get(topic.topicId) : undefined;
    if (!topic || !changed) return;
    for (const partition of changed) {
      const leadsHere = topic.partitions.get(partition)?.leader === this.o.nodeId;
      const existing = this.shards.get(partition);
      if (leadsHere && !existing) this.shards.set(partition, this.newRuntime(partition));
      else if (!leadsHere && existing) {
        this.shards.delete(partition);
        void existing.unload();
      }
    }
  }

  private newRuntime(partition: number): ShardRuntime {
    const o = this.o;
    return new ShardRuntime({
      topic: CONSUMER_OFFSETS_TOPIC,
      partition,
      log: o.log,
      serde: o.serde,
      newShard: (p, timer) => o.newShard({ partition: p, config: o.config.shard, clock: o.clock, random: o.random, timer, metadata: () => o.metadata.image }),
      timer: this.timer,
      clock: o.clock,
      logger: o.logger,
      compression: o.config.offsetsTopicCompression,
      loadBufferSize: o.config.offsetsLoadBufferSize,
      maxQueued: o.maxQueuedPerShard ?? 4096,
    });
  }
}
