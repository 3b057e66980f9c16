/**
 * Fetching ahead of the application: at most one Fetch in flight per leader broker, for the
 * owned, unpaused partitions that have a position and nothing buffered yet. Answers wait in a
 * buffer bounded by maxBufferedBytes (no new Fetch goes out while it is over the limit) until
 * poll() takes records from them.
 */
import { ApiKey, ErrorCode, type FetchResponse, ZERO_UUID } from '../../protocol/index.js';
import type { Cluster } from '../cluster.js';
import { KafkaResponseError, isRetriable } from '../errors.js';
import type { MetadataCache } from '../metadata-cache.js';
import { CompletedFetch, type RawRecord } from './completed-fetch.js';
import type { PartitionState, SubscriptionState } from './subscription-state.js';

export interface FetcherOptions {
  fetchMinBytes: number;
  fetchMaxBytes: number;
  fetchMaxWaitMs: number;
  maxPartitionFetchBytes: number;
  maxBufferedBytes: number;
  readCommitted: boolean;
  checkCrcs: boolean;
  clientRack: string;
  retryBackoffMs: number;
  requestTimeoutMs: number;
}

export type TakenRecord = RawRecord;

/** Partition errors after which the leader may have moved: refresh metadata and fetch again. */
const REFRESH: ReadonlySet<number> = new Set([
  ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.FENCED_LEADER_EPOCH, ErrorCode.UNKNOWN_LEADER_EPOCH,
  ErrorCode.LEADER_NOT_AVAILABLE, ErrorCode.KAFKA_STORAGE_ERROR, ErrorCode.UNKNOWN_TOPIC_ID, ErrorCode.INCONSISTENT_TOPIC_ID,
  ErrorCode.OFFSET_NOT_AVAILABLE,
]);

export class Fetcher {
  private readonly buffer: CompletedFetch[] = [];
  private bufferedBytes = 0;
  private readonly inFlightNodes = new Set<number>();
  private readonly inFlightPartitions = new Set<PartitionState>();
  private readonly backoffUntil = new Map<number, number>();
  private waiters: Array<() => void> = [];
  private error: Error | null = null;
  private closed = false;
  /** OFFSET_OUT_OF_RANGE answers: the consumer resets these per auto.offset.reset. */
  readonly outOfRange = new Set<PartitionState>();

  constructor(
    private readonly cluster: Cluster,
    private readonly metadata: MetadataCache,
    private readonly state: SubscriptionState,
    private readonly options: FetcherOptions,
  ) {}

  get buffered(): number {
    return this.bufferedBytes;
  }

  /** Sends fetches to every broker that leads a fetchable partition and has none in flight. */
  pump(): void {
    if (this.closed || this.bufferedBytes >= this.options.maxBufferedBytes) return;
    const byNode = new Map<number, PartitionState[]>();
    const now = performance.now();
    for (const s of this.state.fetchable()) {
      if (this.inFlightPartitions.has(s)) continue;
      const leader = this.leaderOf(s);
      if (leader < 0 || this.inFlightNodes.has(leader) || (this.backoffUntil.get(leader) ?? 0) > now) continue;
      const list = byNode.get(leader) ?? [];
      list.push(s);
      byNode.set(leader, list);
    }
    for (const [node, parts] of byNode) void this.fetchFrom(node, parts);
  }

  /** Takes up to `max` records from the buffer, moving positions past them. */
  take(max: number): TakenRecord[] {
    if (this.error) {
      const e = this.error;
      this.error = null;
      throw e;
    }
    const out: TakenRecord[] = [];
    while (out.length < max && this.buffer.length > 0) {
      const f = this.buffer[0]!;
      const s = this.state.get(f);
      if (!s || s.fetchEpoch !== f.fetchEpoch || s.paused || s.position === null) {
        this.drop(f);
        continue;
      }
      const records = f.take(s.position, max - out.length);
      for (const r of records) out.push(r);
      if (records.length > 0) {
        s.position = records[records.length - 1]!.offset + 1n;
        s.leaderEpoch = records[records.length - 1]!.leaderEpoch;
      }
      s.highWatermark = f.highWatermark;
      if (f.exhausted) {
        if (f.nextFetchOffset > s.position) s.position = f.nextFetchOffset;
        this.drop(f);
      }
    }
    return out;
  }

  /** Resolves when a fetch answer arrives (or `timeoutMs` passes, or wake() is called). */
  waitForData(timeoutMs: number): Promise<void> {
    if (this.buffer.length > 0 || this.error) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Drops buffered data of partitions no longer owned, sought or paused. */
  discardStale(): void {
    for (const f of [...this.buffer]) {
      const s = this.state.get(f);
      if (!s || s.fetchEpoch !== f.fetchEpoch || s.paused) this.drop(f);
    }
  }

  close(): void {
    this.closed = true;
    for (const f of [...this.buffer]) this.drop(f);
    this.wake();
  }

  /** Where the next fetch of a partition starts: after its buffered data, else at its position. */
  private nextFetchOffset(s: PartitionState): bigint {
    let offset = s.position!;
    for (const f of this.buffer) {
      if (f.topic === s.topic && f.partition === s.partition && f.fetchEpoch === s.fetchEpoch && f.endOffset > offset) offset = f.endOffset;
    }
    return offset;
  }

  private drop(f: CompletedFetch): void {
    const i = this.buffer.indexOf(f);
    if (i < 0) return;
    this.buffer.splice(i, 1);
    this.bufferedBytes -= f.sizeBytes;
    this.pump();
  }

  private leaderOf(s: PartitionState): number {
    const t = this.metadata.peek(s.topic);
    const leader = t?.partitions[s.partition]?.leaderId ?? -1;
    if (leader < 0) {
      this.metadata.markStale(s.topic);
      void this.metadata.topics([s.topic]).then(() => this.pump(), () => setTimeout(() => this.pump(), this.options.retryBackoffMs).unref());
    }
    return leader;
  }

  private async fetchFrom(node: number, parts: PartitionState[]): Promise<void> {
    this.inFlightNodes.add(node);
    for (const p of parts) this.inFlightPartitions.add(p);
    const sent = parts.map((p) => ({ state: p, epoch: p.fetchEpoch, offset: this.nextFetchOffset(p) }));
    try {
      const conn = await this.cluster.connectionTo(node);
      const version = conn.versionFor(ApiKey.Fetch, 4);
      const byTopic = new Map<string, typeof sent>();
      for (const s of sent) byTopic.set(s.state.topic, [...(byTopic.get(s.state.topic) ?? []), s]);
      const idToName = new Map<string, string>();
      const topics = [...byTopic].map(([topic, list]) => {
        const topicId = this.metadata.peek(topic)?.topicId ?? ZERO_UUID;
        idToName.set(topicId, topic);
        return {
          topic, topicId,
          partitions: list.map((s) => ({
            partition: s.state.partition, currentLeaderEpoch: -1, fetchOffset: s.offset, lastFetchedEpoch: -1, logStartOffset: -1n,
            partitionMaxBytes: this.options.maxPartitionFetchBytes, replicaDirectoryId: ZERO_UUID,
          })),
        };
      });
      if (version >= 13 && topics.some((t) => t.topicId === ZERO_UUID)) {
        throw new KafkaResponseError(ErrorCode.UNKNOWN_TOPIC_ID, 'Fetch: a topic without an id in the metadata');
      }
      const r = await conn.send<FetchResponse>(ApiKey.Fetch, version, {
        clusterId: null, replicaId: -1, replicaState: { replicaId: -1, replicaEpoch: -1n },
        maxWaitMs: this.options.fetchMaxWaitMs, minBytes: this.options.fetchMinBytes, maxBytes: this.options.fetchMaxBytes,
        isolationLevel: this.options.readCommitted ? 1 : 0, sessionId: 0, sessionEpoch: -1, topics, forgottenTopicsData: [],
        rackId: this.options.clientRack,
      }, { timeoutMs: this.options.requestTimeoutMs + this.options.fetchMaxWaitMs });
      if (r.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(r.errorCode, 'Fetch');
      const sentByKey = new Map(sent.map((s) => [`${s.state.topic}\u0000${s.state.partition}`, s]));
      for (const t of r.responses) {
        const topic = version >= 13 ? idToName.get(t.topicId) : t.topic;
        if (topic === undefined) continue;
        for (const p of t.partitions) {
          const s = sentByKey.get(`${topic}\u0000${p.partitionIndex}`);
          if (!s) continue;
          this.onPartition(s.state, s.epoch, s.offset, p);
        }
      }
    } catch (e) {
      if (isRetriable(e) || (e instanceof KafkaResponseError && REFRESH.has(e.errorCode))) {
        for (const p of parts) this.metadata.markStale(p.topic);
        this.backoffUntil.set(node, performance.now() + this.options.retryBackoffMs);
        setTimeout(() => this.pump(), this.options.retryBackoffMs).unref();
      } else if (!this.closed) {
        this.error = e as Error;
      }
    } finally {
      this.inFlightNodes.delete(node);
      for (const p of parts) this.inFlightPartitions.delete(p);
      this.wake();
      this.pump();
    }
  }

  private onPartition(s: PartitionState, epoch: number, offset: bigint, p: FetchResponse['responses'][number]['partitions'][number]): void {
    if (s.fetchEpoch !== epoch || !this.state.get(s)) return;
    if (p.errorCode === ErrorCode.NONE) {
      s.highWatermark = p.highWatermark;
      if (!p.records || p.records.length === 0) return;
      const f = new CompletedFetch(
        s.topic, s.partition, p.records, offset, p.highWatermark, p.lastStableOffset, p.abortedTransactions,
        this.options.readCommitted, this.options.checkCrcs, epoch,
      );
      this.buffer.push(f);
      this.bufferedBytes += f.sizeBytes;
      return;
    }
    if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
      this.outOfRange.add(s);
      return;
    }
    if (REFRESH.has(p.errorCode)) {
      this.metadata.markStale(s.topic);
      return;
    }
    this.error = new KafkaResponseError(p.errorCode, `Fetch ${s.topic}-${s.partition}`);
  }
}
