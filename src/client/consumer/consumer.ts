/**
 * The Samsa consumer: subscribe to topics or a pattern (consumer groups, classic protocol) or
 * assign partitions by hand; poll() or `for await (const batch of consumer)`; fetching runs ahead
 * of processing within a bounded buffer.
 *
 *   const consumer = new Consumer({ bootstrapServers: 'localhost:9092', groupId: 'billing', autoOffsetReset: 'earliest' });
 *   consumer.subscribe(['orders']);
 *   for await (const { records } of consumer) for (const r of records) console.log(r.offset, r.value);
 */
import { listOffsets } from '../admin/list-offsets.js';
import { type TopicPartition, partitionKey } from '../admin/types.js';
import { Cluster } from '../cluster.js';
import { ClientClosedError, KafkaResponseError } from '../errors.js';
import { ConfigError } from '../options.js';
import { MetadataCache } from '../metadata-cache.js';
import { ErrorCode } from '../../protocol/index.js';
import type { Deserializer } from '../serde.js';
import { type ConsumerConfig, consumerConfig } from './consumer-config.js';
import { Fetcher, type TakenRecord } from './fetcher.js';
import { commitGroupOffsets, fetchGroupOffsets } from './group-offsets.js';
import { ClassicMembership } from './membership-classic.js';
import { ConsumerProtocolMembership } from './membership-consumer.js';
import { type OffsetResetTarget, SubscriptionState } from './subscription-state.js';
import type {
  ConsumerBatch, ConsumerGroupMetadata, ConsumerOptions, ConsumerRecord, GroupMembership, MembershipHost, OffsetAndMetadata, RebalanceListener,
} from './types.js';

/** auto.offset.reset=none and no committed offset: Kafka's NoOffsetForPartitionException. */
export class NoOffsetForPartitionError extends KafkaResponseError {
  constructor(tp: TopicPartition) {
    super(ErrorCode.OFFSET_OUT_OF_RANGE, `no committed offset for ${tp.topic}-${tp.partition} and auto.offset.reset is none`);
  }
}

type CommittedAnswer = Array<TopicPartition & { offset: bigint | null; leaderEpoch: number; metadata: string | null }>;

export class Consumer<K = Buffer | null, V = Buffer | null> implements AsyncIterable<ConsumerBatch<K, V>> {
  readonly cluster: Cluster;
  private readonly config: ConsumerConfig;
  private readonly metadata: MetadataCache;
  private readonly state = new SubscriptionState();
  private readonly fetcher: Fetcher;
  private readonly keyDeserializer: Deserializer<K> | null;
  private readonly valueDeserializer: Deserializer<V> | null;
  private membership: GroupMembership | null = null;
  private listener: RebalanceListener = {};
  private subscription: { topics: string[] } | { pattern: RegExp; matched: string[] } | null = null;
  private mode: 'none' | 'subscribe' | 'assign' = 'none';
  private patternTimer: NodeJS.Timeout | null = null;
  private nextAutoCommitMs = 0;
  private fatal: Error | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;

  constructor(options: ConsumerOptions<K, V> | Readonly<Record<string, unknown>>) {
    const { config, options: o } = consumerConfig<K, V>(options);
    this.config = config;
    this.cluster = new Cluster(config.cluster);
    this.metadata = new MetadataCache(this.cluster, { metadataMaxAgeMs: config.metadataMaxAgeMs, allowAutoTopicCreation: config.allowAutoCreateTopics });
    this.fetcher = new Fetcher(this.cluster, this.metadata, this.state, {
      fetchMinBytes: config.fetchMinBytes, fetchMaxBytes: config.fetchMaxBytes, fetchMaxWaitMs: config.fetchMaxWaitMs,
      maxPartitionFetchBytes: config.maxPartitionFetchBytes, maxBufferedBytes: config.maxBufferedBytes,
      readCommitted: config.isolationLevel === 'read_committed', checkCrcs: config.checkCrcs, clientRack: config.clientRack ?? '',
      retryBackoffMs: config.retryBackoffMs, requestTimeoutMs: config.requestTimeoutMs,
    });
    this.keyDeserializer = o.keyDeserializer ?? null;
    this.valueDeserializer = o.valueDeserializer ?? null;
  }

  /** Joins the group (group.id) and gets partitions of `topics`, or of every topic matching the pattern. */
  subscribe(topics: readonly string[] | RegExp, listener: RebalanceListener = {}): void {
    this.ensureOpen();
    if (this.config.groupId === null) throw new ConfigError('consumer: subscribe() needs a groupId (group.id); use assign() without one');
    if (this.mode === 'assign') throw new ConfigError('consumer: subscribe() after assign(); call unsubscribe() first');
    this.listener = listener;
    this.subscription = topics instanceof RegExp ? { pattern: topics, matched: [] } : { topics: [...new Set(topics)] };
    this.mode = 'subscribe';
    if (this.subscription && 'pattern' in this.subscription) {
      void this.refreshPattern();
      this.patternTimer ??= setInterval(() => void this.refreshPattern(), Math.min(this.config.metadataMaxAgeMs, 30_000));
      this.patternTimer.unref();
    } else {
      void this.metadata.topics((this.subscription as { topics: string[] }).topics).catch(() => undefined);
    }
    if (!this.membership) {
      const membershipOptions = {
        groupId: this.config.groupId, groupInstanceId: this.config.groupInstanceId, sessionTimeoutMs: this.config.sessionTimeoutMs,
        heartbeatIntervalMs: this.config.heartbeatIntervalMs, maxPollIntervalMs: this.config.maxPollIntervalMs,
        assignors: this.config.assignors, groupRemoteAssignor: this.config.groupRemoteAssignor, clientRack: this.config.clientRack,
        retryBackoffMs: this.config.retryBackoffMs,
      };
      this.membership = this.config.groupProtocol === 'consumer'
        ? new ConsumerProtocolMembership(this.host(), membershipOptions)
        : new ClassicMembership(this.host(), membershipOptions);
      this.membership.start();
    } else {
      this.membership.subscriptionChanged();
    }
  }

  /** Reads exactly these partitions, without group membership (commits still go to group.id if set). */
  assign(partitions: readonly TopicPartition[]): void {
    this.ensureOpen();
    if (this.mode === 'subscribe') throw new ConfigError('consumer: assign() after subscribe(); call unsubscribe() first');
    this.mode = 'assign';
    const keep = new Set(partitions.map(partitionKey));
    this.state.remove(this.state.all().filter((s) => !keep.has(partitionKey(s))));
    this.state.add(partitions);
    void this.metadata.topics([...new Set(partitions.map((p) => p.topic))]).catch(() => undefined);
    this.fetcher.discardStale();
  }

  async unsubscribe(): Promise<void> {
    if (this.membership) {
      await this.membership.leave();
      this.membership = null;
    }
    if (this.patternTimer) clearInterval(this.patternTimer);
    this.patternTimer = null;
    this.state.clear();
    this.fetcher.discardStale();
    this.subscription = null;
    this.mode = 'none';
  }

  assignment(): TopicPartition[] {
    return this.state.all().map((s) => ({ topic: s.topic, partition: s.partition }));
  }

  /** Up to max.poll.records records; [] when none arrive within timeoutMs. */
  async poll(timeoutMs = 1000): Promise<Array<ConsumerRecord<K, V>>> {
    if (this.closing && !this.closed) return [];
    this.ensureOpen();
    const deadline = performance.now() + timeoutMs;
    this.membership?.polled();
    await this.maybeAutoCommit();
    for (;;) {
      if (this.fatal) throw this.fatal;
      if (this.closed || this.closing) return [];
      await this.updatePositions();
      this.fetcher.pump();
      const taken = this.fetcher.take(this.config.maxPollRecords);
      if (taken.length > 0) return this.deserialize(taken);
      const left = deadline - performance.now();
      if (left <= 0) return [];
      await this.fetcher.waitForData(Math.min(left, this.needsPositions() ? 50 : left));
    }
  }

  /** `for await (const { records } of consumer)`: polls until close(); breaking out does not close. */
  async *[Symbol.asyncIterator](): AsyncIterator<ConsumerBatch<K, V>> {
    while (!this.closed && !this.closing) {
      const records = await this.poll(1000);
      if (records.length > 0) yield { records };
    }
  }

  /** Callback style: runs the handlers for every record or batch until close(); a handler error rejects. */
  async run(handlers: { eachRecord?: (r: ConsumerRecord<K, V>) => unknown; eachBatch?: (b: ConsumerBatch<K, V>) => unknown }): Promise<void> {
    for await (const batch of this) {
      if (handlers.eachBatch) await handlers.eachBatch(batch);
      if (handlers.eachRecord) for (const r of batch.records) await handlers.eachRecord(r);
    }
  }

  /** Commits `offsets`, or the positions of everything poll() returned so far. */
  async commit(offsets?: readonly OffsetAndMetadata[]): Promise<void> {
    this.ensureOpen();
    await this.commitNow(offsets ?? this.state.positions());
  }

  committed(partitions: readonly TopicPartition[]): Promise<CommittedAnswer> {
    if (this.membership) return this.membership.committed(partitions);
    if (this.config.groupId === null) return Promise.reject(new ConfigError('consumer: committed() needs a groupId'));
    return fetchGroupOffsets(this.cluster, this.config.groupId, partitions);
  }

  seek(tp: TopicPartition, offset: bigint | number): void {
    const s = this.owned(tp);
    s.seek(BigInt(offset));
    this.fetcher.discardStale();
  }

  seekToBeginning(partitions?: readonly TopicPartition[]): void {
    this.resetTo(partitions, 'earliest');
  }

  seekToEnd(partitions?: readonly TopicPartition[]): void {
    this.resetTo(partitions, 'latest');
  }

  /** The offset of the next record poll() will return for `tp`. */
  async position(tp: TopicPartition): Promise<bigint> {
    const s = this.owned(tp);
    while (s.position === null) {
      await this.updatePositions();
      if (s.position === null) await new Promise((resolve) => setTimeout(resolve, 20));
      if (!this.state.has(tp)) throw new RangeError(`${tp.topic}-${tp.partition} is not assigned to this consumer`);
    }
    return s.position;
  }

  /** The earliest offset whose timestamp is at or after the one given, per partition (null when none). */
  async offsetsForTimes(query: ReadonlyArray<TopicPartition & { timestamp: bigint | number }>): Promise<Array<TopicPartition & { offset: bigint | null; timestamp: bigint | null; leaderEpoch: number }>> {
    const found = await listOffsets(this.cluster, query.map((q) => ({ topic: q.topic, partition: q.partition, spec: { timestampMs: Number(q.timestamp) } })),
      { isolationLevel: this.config.isolationLevel === 'read_committed' ? 1 : 0 });
    return found.map((f) => ({ topic: f.topic, partition: f.partition, offset: f.offset, timestamp: f.offset === null ? null : f.timestamp, leaderEpoch: f.leaderEpoch }));
  }

  beginningOffsets(partitions: readonly TopicPartition[]): Promise<Array<TopicPartition & { offset: bigint }>> {
    return this.listEdge(partitions, 'earliest');
  }

  /** The high watermark, or the last stable offset with read_committed. */
  endOffsets(partitions: readonly TopicPartition[]): Promise<Array<TopicPartition & { offset: bigint }>> {
    return this.listEdge(partitions, 'latest');
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.owned(tp).paused = true;
    this.fetcher.discardStale();
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.owned(tp).paused = false;
    this.fetcher.pump();
  }

  paused(): TopicPartition[] {
    return this.state.all().filter((s) => s.paused).map((s) => ({ topic: s.topic, partition: s.partition }));
  }

  /** For producer.sendOffsetsToTransaction: the group, generation and member this consumer is. */
  groupMetadata(): ConsumerGroupMetadata {
    if (this.membership) return this.membership.groupMetadata();
    if (this.config.groupId === null) throw new ConfigError('consumer: groupMetadata() needs a groupId');
    return { groupId: this.config.groupId, generationId: -1, memberId: '', groupInstanceId: null };
  }

  /** Commits the final positions (with auto-commit), leaves the group and closes the connections. */
  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    if (this.config.enableAutoCommit && this.config.groupId !== null && !this.fatal) {
      await this.commitNow(this.state.positions()).catch(() => undefined);
    }
    this.closed = true;
    if (this.patternTimer) clearInterval(this.patternTimer);
    await this.membership?.leave().catch(() => undefined);
    this.fetcher.close();
    await this.cluster.close();
  }

  private ensureOpen(): void {
    if (this.closed || this.closing) throw new ClientClosedError('the consumer is closed');
  }

  private owned(tp: TopicPartition) {
    const s = this.state.get(tp);
    if (!s) throw new RangeError(`${tp.topic}-${tp.partition} is not assigned to this consumer`);
    return s;
  }

  private resetTo(partitions: readonly TopicPartition[] | undefined, target: OffsetResetTarget): void {
    for (const tp of partitions ?? this.assignment()) this.owned(tp).requestReset(target);
    this.fetcher.discardStale();
  }

  private async listEdge(partitions: readonly TopicPartition[], spec: 'earliest' | 'latest'): Promise<Array<TopicPartition & { offset: bigint }>> {
    const found = await listOffsets(this.cluster, partitions.map((p) => ({ topic: p.topic, partition: p.partition, spec })),
      { isolationLevel: this.config.isolationLevel === 'read_committed' ? 1 : 0 });
    return found.map((f) => ({ topic: f.topic, partition: f.partition, offset: f.offset ?? -1n }));
  }

  private needsPositions(): boolean {
    return this.state.all().some((s) => s.position === null) || this.fetcher.outOfRange.size > 0;
  }

  /** Positions for partitions without one: the committed offset, else auto.offset.reset (or a requested seekTo). */
  private async updatePositions(): Promise<void> {
    for (const s of [...this.fetcher.outOfRange]) {
      this.fetcher.outOfRange.delete(s);
      if (!this.state.get(s)) continue;
      if (this.config.autoOffsetReset === 'none') throw new NoOffsetForPartitionError(s);
      s.requestReset(this.config.autoOffsetReset);
    }
    const missing = this.state.all().filter((s) => s.position === null);
    if (missing.length === 0) return;
    const needCommitted = missing.filter((s) => s.reset === null);
    if (needCommitted.length > 0 && this.config.groupId !== null) {
      const committed = await this.committed(needCommitted);
      for (const c of committed) {
        const s = this.state.get(c);
        if (!s || s.position !== null || s.reset !== null) continue;
        if (c.offset !== null) {
          s.seek(c.offset);
          s.leaderEpoch = c.leaderEpoch;
        }
      }
    }
    const toReset = this.state.all().filter((s) => s.position === null);
    if (toReset.length === 0) return;
    for (const s of toReset) {
      if (s.reset === null) {
        if (this.config.autoOffsetReset === 'none') throw new NoOffsetForPartitionError(s);
        s.reset = this.config.autoOffsetReset;
      }
    }
    const found = await listOffsets(this.cluster, toReset.map((s) => ({ topic: s.topic, partition: s.partition, spec: s.reset! })),
      { isolationLevel: this.config.isolationLevel === 'read_committed' ? 1 : 0 });
    for (const f of found) {
      const s = this.state.get(f);
      if (!s || s.position !== null || f.offset === null) continue;
      s.seek(f.offset);
    }
  }

  private async maybeAutoCommit(): Promise<void> {
    if (!this.config.enableAutoCommit || this.config.groupId === null) return;
    const now = performance.now();
    if (now < this.nextAutoCommitMs) return;
    this.nextAutoCommitMs = now + this.config.autoCommitIntervalMs;
    if (this.membership && !this.membership.stable) return;
    // Positions before this poll: everything the previous polls returned.
    void this.commitNow(this.state.positions()).catch(() => undefined);
  }

  private commitNow(offsets: readonly OffsetAndMetadata[]): Promise<void> {
    if (this.membership) return this.membership.commit(offsets);
    if (this.config.groupId === null) return Promise.reject(new ConfigError('consumer: commit() needs a groupId'));
    return commitGroupOffsets(this.cluster, this.config.groupId, { generationId: -1, memberId: '', groupInstanceId: null }, offsets);
  }

  private deserialize(taken: TakenRecord[]): Array<ConsumerRecord<K, V>> {
    const kd = this.keyDeserializer;
    const vd = this.valueDeserializer;
    if (!kd && !vd) return taken as unknown as Array<ConsumerRecord<K, V>>;
    return taken.map((r) => ({
      ...r,
      key: kd ? kd(r.key, r.topic, r.headers) : (r.key as K),
      value: vd ? vd(r.value, r.topic, r.headers) : (r.value as V),
    }));
  }

  private async refreshPattern(): Promise<void> {
    const sub = this.subscription;
    if (!sub || !('pattern' in sub)) return;
    try {
      const all = await this.metadata.allTopics();
      const matched = [...all.values()]
        .filter((t) => !(this.config.excludeInternalTopics && t.isInternal) && sub.pattern.test(t.name))
        .map((t) => t.name).sort();
      if (matched.join('\u0000') !== sub.matched.join('\u0000')) {
        sub.matched = matched;
        this.membership?.subscriptionChanged();
      }
    } catch {
      // Tried again at the next interval.
    }
  }

  private host(): MembershipHost {
    return {
      cluster: this.cluster,
      metadata: this.metadata,
      subscribedTopics: () => {
        const sub = this.subscription;
        if (!sub) return [];
        return 'pattern' in sub ? sub.matched : sub.topics;
      },
      ownedPartitions: () => this.assignment(),
      revoke: async (partitions) => {
        if (this.config.enableAutoCommit && !this.closed) {
          const keys = new Set(partitions.map(partitionKey));
          await this.commitNow(this.state.positions().filter((p) => keys.has(partitionKey(p)))).catch(() => undefined);
        }
        this.state.remove(partitions);
        this.fetcher.discardStale();
        await this.listener.onPartitionsRevoked?.(partitions);
      },
      lose: async (partitions) => {
        this.state.remove(partitions);
        this.fetcher.discardStale();
        await this.listener.onPartitionsLost?.(partitions);
      },
      assign: async (partitions) => {
        this.state.add(partitions);
        this.fetcher.wake();
        await this.listener.onPartitionsAssigned?.(partitions);
      },
      fail: (error) => {
        this.fatal = error;
        this.fetcher.wake();
      },
    };
  }
}
