/**
 * ListOffsets: a partition's earliest offset, its log end offset, or the first offset at or
 * after a timestamp, asked of each partition's leader.
 */
import { ApiKey, ErrorCode, type ListOffsetsResponse } from '../../protocol/index.js';
import type { Cluster } from '../cluster.js';
import { KafkaResponseError, UnknownTopicError } from '../errors.js';
import type { ClusterMetadata } from '../metadata.js';
import { type TopicPartition, type TopicSelection, byTopic } from './types.js';

/** Which offset to ask for: the log start, the log end, or the first at or after a time. */
export type OffsetSpec = 'earliest' | 'latest' | { readonly timestampMs: number };

export interface OffsetRequest extends TopicPartition {
  readonly spec: OffsetSpec;
}

export interface ListedOffset extends TopicPartition {
  /** Null when no record has a timestamp at or after the one asked for. */
  readonly offset: bigint | null;
  /** The found record's timestamp; -1 for earliest and latest. */
  readonly timestamp: bigint;
  readonly leaderEpoch: number;
}

export interface ListOffsetsOptions {
  /** 0 reads up to the high watermark (Kafka's default), 1 up to the last stable offset. */
  readonly isolationLevel?: 0 | 1;
}

const EARLIEST = -2n;
const LATEST = -1n;

function specTimestamp(spec: OffsetSpec): bigint {
  if (spec === 'earliest') return EARLIEST;
  if (spec === 'latest') return LATEST;
  return BigInt(Math.trunc(spec.timestampMs));
}

/** The partitions a selection names, checked against the metadata (every partition when none are given). */
export function resolvePartitions(md: ClusterMetadata, selections: readonly TopicSelection[]): TopicPartition[] {
  const out: TopicPartition[] = [];
  for (const s of selections) {
    const topic = md.topics.get(s.topic);
    if (!topic || topic.errorCode !== 0) throw new UnknownTopicError(s.topic);
    const known = new Set(topic.partitions.map((p) => p.partition));
    for (const partition of s.partitions ?? [...known]) {
      if (!known.has(partition)) throw new UnknownTopicError(s.topic, partition);
      out.push({ topic: s.topic, partition });
    }
  }
  return out;
}

/** One ListOffsets per leader; retriable errors (a moved leader) refresh metadata and try again. */
export function listOffsets(cluster: Cluster, requests: readonly OffsetRequest[], options: ListOffsetsOptions = {}): Promise<ListedOffset[]> {
  if (requests.length === 0) return Promise.resolve([]);
  const topics = [...new Set(requests.map((r) => r.topic))];
  return cluster.retry(async () => {
    const md = await cluster.metadataOnce(topics);
    resolvePartitions(md, requests.map((r) => ({ topic: r.topic, partitions: [r.partition] })));
    const byLeader = new Map<number, OffsetRequest[]>();
    for (const r of requests) {
      const leader = md.topics.get(r.topic)!.partitions.find((p) => p.partition === r.partition)!.leaderId;
      if (leader < 0) throw new KafkaResponseError(ErrorCode.LEADER_NOT_AVAILABLE, `ListOffsets for ${r.topic}-${r.partition}`);
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), r]);
    }
    const answers = await Promise.all([...byLeader].map(([leader, rs]) => listOnLeader(cluster, leader, rs, options)));
    return answers.flat();
  });
}

async function listOnLeader(cluster: Cluster, leader: number, requests: OffsetRequest[], options: ListOffsetsOptions): Promise<ListedOffset[]> {
  const conn = await cluster.connectionTo(leader);
  const version = conn.versionFor(ApiKey.ListOffsets, 1);
  const r = await conn.send<ListOffsetsResponse>(ApiKey.ListOffsets, version, {
    replicaId: -1,
    isolationLevel: options.isolationLevel ?? 0,
    timeoutMs: 30_000,
    topics: [...byTopic(requests)].map(([name, rs]) => ({
      name,
      partitions: rs.map((p) => ({ partitionIndex: p.partition, currentLeaderEpoch: -1, timestamp: specTimestamp(p.spec), maxNumOffsets: 1 })),
    })),
  });
  const out: ListedOffset[] = [];
  for (const t of r.topics) {
    for (const p of t.partitions) {
      if (p.errorCode !== 0) throw new KafkaResponseError(p.errorCode, `ListOffsets for ${t.name}-${p.partitionIndex}`);
      out.push({ topic: t.name, partition: p.partitionIndex, offset: p.offset < 0n ? null : p.offset, timestamp: p.timestamp, leaderEpoch: p.leaderEpoch });
    }
  }
  return out;
}
