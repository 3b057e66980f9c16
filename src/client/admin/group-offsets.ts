/**
 * A group's committed offsets: fetch them (OffsetFetch), delete some (OffsetDelete), and set
 * them from outside the group (OffsetCommit with generation -1 and no member id, which the
 * coordinator accepts only while the group has no members).
 */
import { ApiKey, ErrorCode, type OffsetCommitResponse, type OffsetDeleteResponse, type OffsetFetchResponse } from '../../protocol/index.js';
import type { Cluster } from '../cluster.js';
import { KafkaResponseError, throwIfError } from '../errors.js';
import { type TopicPartition, byTopic, comparePartitions } from './types.js';

export interface CommittedOffset extends TopicPartition {
  readonly offset: bigint;
  /** -1 when the committer did not say. */
  readonly leaderEpoch: number;
  readonly metadata: string | null;
}

export interface OffsetToCommit extends TopicPartition {
  readonly offset: bigint;
  readonly metadata?: string;
}

export interface PartitionResult extends TopicPartition {
  readonly error: KafkaResponseError | null;
}

type FetchedPartition = OffsetFetchResponse['topics'][number]['partitions'][number];

/**
 * The group's committed offsets, sorted, for `partitions` or (when undefined) every partition
 * it has an offset for. Partitions without a committed offset are left out.
 */
export function fetchOffsets(
  cluster: Cluster, groupId: string, partitions?: readonly TopicPartition[], options: { requireStable?: boolean } = {},
): Promise<CommittedOffset[]> {
  const requireStable = options.requireStable ?? false;
  return cluster.withGroupCoordinator(groupId, async (conn) => {
    // v0 reads ZooKeeper-stored offsets; v2 is the first that can ask for all topics.
    // requireStable needs v7 (Kafka 2.5); an older broker is asked without it.
    const stable = requireStable && conn.supports(ApiKey.OffsetFetch, 7);
    const version = conn.versionFor(ApiKey.OffsetFetch, stable ? 7 : partitions ? 1 : 2);
    const topics = partitions
      ? [...byTopic(partitions)].map(([name, ps]) => ({ name, partitionIndexes: ps.map((p) => p.partition) }))
      : null;
    const context = `OffsetFetch for '${groupId}'`;
    const r = await conn.send<OffsetFetchResponse>(ApiKey.OffsetFetch, version, version >= 8
      ? { groupId: '', topics: null, requireStable: stable, groups: [{ groupId, memberId: null, memberEpoch: -1, topics }] }
      : { groupId, topics, requireStable: stable, groups: [] });
    let answered: Array<{ name: string; partitions: FetchedPartition[] }>;
    if (version >= 8) {
      const g = r.groups.find((x) => x.groupId === groupId) ?? r.groups[0];
      throwIfError(g?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR, context);
      answered = g!.topics;
    } else {
      if (version >= 2) throwIfError(r.errorCode, context);
      answered = r.topics;
    }
    const out: CommittedOffset[] = [];
    for (const t of answered) {
      for (const p of t.partitions) {
        if (p.errorCode !== 0) {
          // An unstable offset (a pending transactional commit) clears up; other partition errors leave the partition out.
          const e = new KafkaResponseError(p.errorCode, `${context}, ${t.name}-${p.partitionIndex}`);
          if (e.retriable) throw e;
          continue;
        }
        if (p.committedOffset < 0n) continue;
        out.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata: p.metadata });
      }
    }
    return out.sort(comparePartitions);
  });
}

/** Commits offsets as an admin (generation -1, no member): only an empty group accepts it. */
export function commitOffsets(cluster: Cluster, groupId: string, offsets: readonly OffsetToCommit[]): Promise<void> {
  if (offsets.length === 0) return Promise.resolve();
  return cluster.withGroupCoordinator(groupId, async (conn) => {
    const version = conn.versionFor(ApiKey.OffsetCommit);
    const r = await conn.send<OffsetCommitResponse>(ApiKey.OffsetCommit, version, {
      groupId,
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1n,
      topics: [...byTopic(offsets)].map(([name, ps]) => ({
        name,
        partitions: ps.map((p) => ({
          partitionIndex: p.partition, committedOffset: p.offset, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: p.metadata ?? '',
        })),
      })),
    });
    for (const t of r.topics) {
      for (const p of t.partitions) throwIfError(p.errorCode, `OffsetCommit for '${groupId}', ${t.name}-${p.partitionIndex}`);
    }
  });
}

/** Deletes the group's committed offsets for some partitions; one result per partition. */
export function deleteOffsets(cluster: Cluster, groupId: string, partitions: readonly TopicPartition[]): Promise<PartitionResult[]> {
  return cluster.withGroupCoordinator(groupId, async (conn) => {
    const version = conn.versionFor(ApiKey.OffsetDelete);
    const r = await conn.send<OffsetDeleteResponse>(ApiKey.OffsetDelete, version, {
      groupId,
      topics: [...byTopic(partitions)].map(([name, ps]) => ({ name, partitions: ps.map((p) => ({ partitionIndex: p.partition })) })),
    });
    const context = `OffsetDelete for '${groupId}'`;
    throwIfError(r.errorCode, context);
    const out: PartitionResult[] = [];
    for (const t of r.topics) {
      for (const p of t.partitions) {
        const error = p.errorCode === 0 ? null : new KafkaResponseError(p.errorCode, `${context}, ${t.name}-${p.partitionIndex}`);
        if (error?.retriable) throw error;
        out.push({ topic: t.name, partition: p.partitionIndex, error });
      }
    }
    return out.sort(comparePartitions);
  });
}
