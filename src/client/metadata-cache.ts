/**
 * The topic metadata a producer or consumer works from: partitions and their leaders, fetched on
 * first use, refreshed when older than `metadata.max.age.ms` or when marked stale after an error
 * (NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, a broken connection). Concurrent callers
 * share one Metadata request.
 *
 *   const cache = new MetadataCache(cluster, { metadataMaxAgeMs: 300_000 });
 *   const leader = await cache.leaderFor('orders', 3);   // node id
 *   cache.markStale('orders');                            // after NOT_LEADER_OR_FOLLOWER
 */
import type { Clock } from '../common/clock.js';
import { systemClock } from '../common/clock.js';
import { ErrorCode } from '../protocol/index.js';
import type { Cluster } from './cluster.js';
import { KafkaResponseError, UnknownTopicError } from './errors.js';
import type { ClusterMetadata, TopicMetadata } from './metadata.js';

export interface MetadataCacheOptions {
  metadataMaxAgeMs?: number;
  /** Ask the broker to create missing topics (`allow.auto.create.topics`; the producer's default). */
  allowAutoTopicCreation?: boolean;
  clock?: Clock;
}

interface Entry {
  readonly topic: TopicMetadata;
  readonly fetchedAtMs: number;
  stale: boolean;
}

/** Topic errors that mean "not there yet, ask again": leader elections, a topic being created. */
const TRANSIENT_TOPIC_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.LEADER_NOT_AVAILABLE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.NOT_LEADER_OR_FOLLOWER,
]);

export class MetadataCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxAgeMs: number;
  private readonly clock: Clock;
  private inflight: Promise<ClusterMetadata> | null = null;
  private inflightTopics: ReadonlySet<string> = new Set();

  constructor(readonly cluster: Cluster, private readonly options: MetadataCacheOptions = {}) {
    this.maxAgeMs = options.metadataMaxAgeMs ?? 300_000;
    this.clock = options.clock ?? systemClock;
  }

  /** Metadata of the named topics, fresh enough; throws UnknownTopicError for a topic that does not exist. */
  async topics(names: readonly string[]): Promise<Map<string, TopicMetadata>> {
    const out = new Map<string, TopicMetadata>();
    const missing = names.filter((n) => {
      const e = this.fresh(n);
      if (e) out.set(n, e.topic);
      return !e;
    });
    if (missing.length > 0) {
      await this.refresh(missing);
      for (const n of missing) {
        const e = this.entries.get(n);
        if (!e || e.topic.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) throw new UnknownTopicError(n);
        if (e.topic.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(e.topic.errorCode, `Metadata for topic '${n}'`);
        out.set(n, e.topic);
      }
    }
    return out;
  }

  async topic(name: string): Promise<TopicMetadata> {
    return (await this.topics([name])).get(name)!;
  }

  async partitionCount(topic: string): Promise<number> {
    return (await this.topic(topic)).partitions.length;
  }

  /** The leader's node id; -1 when the partition has no leader now (the entry is marked stale). */
  async leaderFor(topic: string, partition: number): Promise<number> {
    const t = await this.topic(topic);
    const p = t.partitions[partition];
    if (!p || p.partition !== partition) throw new UnknownTopicError(topic, partition);
    if (p.leaderId < 0) this.markStale(topic);
    return p.leaderId;
  }

  /** What the cache has now, without a request (undefined when never fetched). */
  peek(topic: string): TopicMetadata | undefined {
    return this.entries.get(topic)?.topic;
  }

  /** Every topic in the cluster (for pattern subscriptions); also refreshes their entries. */
  async allTopics(): Promise<Map<string, TopicMetadata>> {
    const md = await this.cluster.metadata(undefined);
    this.store(md, [...md.topics.keys()]);
    return new Map(md.topics);
  }

  /** The next lookup of `topic` (every topic when undefined) asks the cluster again. */
  markStale(topic?: string): void {
    if (topic === undefined) for (const e of this.entries.values()) e.stale = true;
    else {
      const e = this.entries.get(topic);
      if (e) e.stale = true;
    }
  }

  /** Fetches `topics` now (joining a request under way when it covers them). */
  async refresh(topics: readonly string[]): Promise<void> {
    for (;;) {
      if (this.inflight && topics.every((t) => this.inflightTopics.has(t))) {
        await this.inflight;
        return;
      }
      if (this.inflight) {
        await this.inflight.catch(() => undefined);
        continue;
      }
      break;
    }
    const request = this.cluster.retry(async () => {
      const md = await this.cluster.metadataOnce(topics, { allowAutoTopicCreation: this.options.allowAutoTopicCreation ?? false });
      // A topic being created or electing a leader answers a transient error: try again.
      for (const t of topics) {
        const tm = md.topics.get(t);
        const code = tm?.errorCode ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        const autoCreating = code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION && this.options.allowAutoTopicCreation;
        if (code === ErrorCode.LEADER_NOT_AVAILABLE || autoCreating) throw new KafkaResponseError(code, `Metadata for topic '${t}'`);
        if (tm && code === ErrorCode.NONE && tm.partitions.some((p) => TRANSIENT_TOPIC_ERRORS.has(p.errorCode))) {
          throw new KafkaResponseError(ErrorCode.LEADER_NOT_AVAILABLE, `Metadata for topic '${t}'`);
        }
      }
      return md;
    });
    this.inflight = request;
    this.inflightTopics = new Set(topics);
    try {
      this.store(await request, topics);
    } finally {
      if (this.inflight === request) this.inflight = null;
    }
  }

  private store(md: ClusterMetadata, asked: readonly string[]): void {
    const now = this.clock.monotonicMs();
    for (const name of asked) {
      const topic = md.topics.get(name);
      if (topic) this.entries.set(name, { topic, fetchedAtMs: now, stale: false });
      else this.entries.delete(name);
    }
  }

  private fresh(name: string): Entry | undefined {
    const e = this.entries.get(name);
    if (!e || e.stale || e.topic.errorCode !== ErrorCode.NONE) return undefined;
    if (this.clock.monotonicMs() - e.fetchedAtMs >= this.maxAgeMs) return undefined;
    return e;
  }
}
