/**
 * A coordinator over one internal topic (Kafka's CoordinatorRuntime behind a coordinator
 * service): one ShardRuntime per partition this node leads, kept in step with the metadata
 * image; requests routed to the shard owning their key; one coarse timer for all shards; the
 * topic created on first use. The group and transaction coordinators are thin layers over it.
 */
import { DeferredResponse, type CoordinatorResult, type CoordinatorShard } from '../../coordinator/runtime-api.js';
import type { MetadataPublisher, MetadataUpdate } from '../../metadata/index.js';
import { ErrorCode } from '../../protocol/index.js';
import type { TxnMarker } from '../../storage/index.js';
import { CoarseTimer } from './coarse-timer.js';
import { createInternalTopic } from './internal-topic.js';
import { partitionForKey } from './partition-for.js';
import type { CoordinatorNode, CoordinatorServiceApi, CoordinatorServiceOptions } from './service-api.js';
import { type LoadReport, ShardRuntime } from './shard-runtime.js';

const NO_NODE = { nodeId: -1, host: '', port: -1 } as const;
const DEFAULT_MAX_QUEUED_PER_SHARD = 4096;

export class CoordinatorService<S extends CoordinatorShard<R>, R> implements CoordinatorServiceApi<S, R> {
  private readonly shards = new Map<number, ShardRuntime<S, R>>();
  private readonly timer: CoarseTimer;
  private running = false;
  private topicCreation: Promise<number> | undefined;
  readonly publisher: MetadataPublisher;

  constructor(private readonly o: CoordinatorServiceOptions<S, R>) {
    this.timer = new CoarseTimer(o.clock, (e) => o.logger.error(`a ${o.name} timer failed`, e));
    this.publisher = { name: o.name.replaceAll(' ', '-'), onMetadataUpdate: (u) => this.onMetadataUpdate(u) };
  }

  /** Starts following the metadata: shards load for the partitions led here. */
  async start(): Promise<void> {
    this.running = true;
    await this.o.metadata.addPublisher(this.publisher);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.o.metadata.removePublisher(this.publisher);
    await Promise.all([...this.shards.values()].map((s) => s.unload()));
    this.shards.clear();
    this.timer.stop();
  }

  get partitionCount(): number {
    return this.o.metadata.image.topicsByName.get(this.o.topic.name)?.partitions.size || this.o.topic.numPartitions;
  }

  partitionFor(key: string): number {
    return partitionForKey(key, this.partitionCount);
  }

  byPartition<T>(items: readonly T[], keyOf: (item: T) => string): Map<number, T[]> {
    const out = new Map<number, T[]>();
    for (const item of items) {
      const p = this.partitionFor(keyOf(item));
      const list = out.get(p);
      if (list) list.push(item);
      else out.set(p, [item]);
    }
    return out;
  }

  async write<Res, Err = Res>(key: string, operation: (shard: S) => CoordinatorResult<Res, R>, onError: (errorCode: number) => Err): Promise<Res | Err> {
    const shard = this.shardFor(key);
    if (typeof shard === 'number') return onError(shard);
    const outcome = await shard.write(operation);
    if (!outcome.ok) return onError(outcome.errorCode);
    return outcome.response instanceof DeferredResponse ? outcome.response.promise : outcome.response;
  }

  async read<Res, Err = Res>(key: string, operation: (shard: S) => Res, onError: (errorCode: number) => Err): Promise<Res | Err> {
    const shard = this.shardFor(key);
    if (typeof shard === 'number') return onError(shard);
    const outcome = await shard.read(operation);
    if (!outcome.ok) return onError(outcome.errorCode);
    return outcome.response as Res;
  }

  /**
   * Results merged; shards not served here are skipped, a shard still loading makes the whole
   * answer COORDINATOR_LOAD_IN_PROGRESS (as Kafka's ListGroups).
   */
  async readAll<Res>(operation: (shard: S) => readonly Res[]): Promise<{ errorCode: number; results: Res[] }> {
    if (!this.running) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, results: [] };
    const outcomes = await Promise.all([...this.shards.values()].map((s) => s.read(operation)));
    const results: Res[] = [];
    let errorCode: number = ErrorCode.NONE;
    for (const outcome of outcomes) {
      if (outcome.ok) results.push(...(outcome.response as readonly Res[]));
      else if (outcome.errorCode !== ErrorCode.NOT_COORDINATOR && errorCode === ErrorCode.NONE) errorCode = outcome.errorCode;
    }
    return errorCode === ErrorCode.NONE ? { errorCode, results } : { errorCode, results: [] };
  }

  /** At the address of the listener the request came in on. */
  async findCoordinator(key: string, listenerName: string): Promise<CoordinatorNode> {
    if (!this.running) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, ...NO_NODE };
    // The topic is in the image before its shards start: a creation under way is waited for.
    if (this.topicCreation || !this.o.metadata.image.topicsByName.has(this.o.topic.name)) {
      const created = await this.ensureTopic();
      if (created !== ErrorCode.NONE) return { errorCode: created, ...NO_NODE };
    }
    const image = this.o.metadata.image;
    const topic = image.topicsByName.get(this.o.topic.name);
    const leader = topic?.partitions.get(partitionForKey(key, topic.partitions.size))?.leader ?? -1;
    const endpoint = leader === this.o.nodeId
      ? this.o.advertisedEndpoints().find((e) => e.listenerName === listenerName)
      : image.brokers.get(leader)?.endpoints.find((e) => e.name === listenerName);
    if (!endpoint || (leader !== this.o.nodeId && image.brokers.get(leader)?.fenced)) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, ...NO_NODE };
    return { errorCode: ErrorCode.NONE, nodeId: leader, host: endpoint.host, port: endpoint.port };
  }

  /** One creation at a time. */
  ensureTopic(): Promise<number> {
    if (this.topicCreation) return this.topicCreation;
    if (this.o.metadata.image.topicsByName.has(this.o.topic.name)) return Promise.resolve(ErrorCode.NONE);
    this.topicCreation = (async () => {
      const code = await createInternalTopic(this.o.metadata, this.o.topic, this.o.logger);
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

  /** COORDINATOR_NOT_AVAILABLE once stopped (as Kafka's service when not active). */
  writeTxnMarker(partition: number, marker: TxnMarker): Promise<number> {
    if (!this.running) return Promise.resolve(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const shard = this.shards.get(partition);
    return shard ? shard.writeTxnMarker(marker) : Promise.resolve(this.unservedError(partition));
  }

  /**
   * The shard owning `key`, or the error for its requests: COORDINATOR_NOT_AVAILABLE when
   * stopped, NOT_COORDINATOR when the partition is not led here (or the topic does not exist
   * yet: it is created in the background), COORDINATOR_LOAD_IN_PROGRESS when the image says it
   * is led here but the publisher has not started its shard yet.
   */
  private shardFor(key: string): ShardRuntime<S, R> | number {
    if (!this.running) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const topic = this.o.metadata.image.topicsByName.get(this.o.topic.name);
    if (!topic) {
      void this.ensureTopic();
      return ErrorCode.NOT_COORDINATOR;
    }
    const partition = partitionForKey(key, topic.partitions.size);
    return this.shards.get(partition) ?? this.unservedError(partition);
  }

  /** Why a partition without a shard here does not serve: led here but not started yet, or not led here. */
  private unservedError(partition: number): number {
    const leader = this.o.metadata.image.topicsByName.get(this.o.topic.name)?.partitions.get(partition)?.leader;
    return leader === this.o.nodeId ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.NOT_COORDINATOR;
  }

  /**
   * Follows the metadata without waiting on loads: shards start for partitions that came to be
   * led here and unload for those that left; deleted topics are handed to the shards.
   */
  private onMetadataUpdate(u: MetadataUpdate): void {
    if (!this.running) return;
    const own = this.o.topic.name;
    const deleted = [...u.changes.deletedTopics.values()].map((t) => t.name);
    if (deleted.includes(own)) {
      for (const [p, shard] of this.shards) {
        void shard.unload();
        this.shards.delete(p);
      }
    }
    const others = deleted.filter((name) => name !== own);
    const onTopicsDeleted = this.o.onTopicsDeleted;
    if (others.length > 0 && onTopicsDeleted) {
      for (const shard of this.shards.values()) void shard.writeInternal('deleted topics', (s) => onTopicsDeleted(s, others));
    }
    const topic = u.image.topicsByName.get(own);
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

  private newRuntime(partition: number): ShardRuntime<S, R> {
    const o = this.o;
    return new ShardRuntime<S, R>({
      name: o.name,
      topic: o.topic.name,
      partition,
      log: o.log,
      serde: o.serde,
      newShard: o.newShard,
      timer: this.timer,
      clock: o.clock,
      logger: o.logger,
      compression: o.compression,
      loadBufferSize: o.loadBufferSize,
      maxQueued: o.maxQueuedPerShard ?? DEFAULT_MAX_QUEUED_PER_SHARD,
    });
  }
}
