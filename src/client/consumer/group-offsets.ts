/**
 * OffsetCommit and OffsetFetch for a consumer: with the member's generation and id (so a
 * member that was rebalanced away cannot overwrite its successor's offsets), or as a standalone
 * consumer (assign() with a group.id: generation -1, no member id).
 */
import { ApiKey, type OffsetCommitResponse } from '../../protocol/index.js';
import { byTopic, type TopicPartition } from '../admin/types.js';
import { fetchOffsets } from '../admin/group-offsets.js';
import type { Cluster } from '../cluster.js';
import { throwIfError } from '../errors.js';
import type { OffsetAndMetadata } from './types.js';

export interface CommitIdentity {
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export function commitGroupOffsets(cluster: Cluster, groupId: string, who: CommitIdentity, offsets: readonly OffsetAndMetadata[]): Promise<void> {
  if (offsets.length === 0) return Promise.resolve();
  return cluster.withGroupCoordinator(groupId, async (conn) => {
    const version = conn.versionFor(ApiKey.OffsetCommit);
    const r = await conn.send<OffsetCommitResponse>(ApiKey.OffsetCommit, version, {
      groupId,
      generationIdOrMemberEpoch: who.generationId,
      memberId: who.memberId,
      groupInstanceId: who.groupInstanceId,
      retentionTimeMs: -1n,
      topics: [...byTopic(offsets)].map(([name, ps]) => ({
        name,
        partitions: ps.map((p) => ({
          partitionIndex: p.partition, committedOffset: p.offset, committedLeaderEpoch: p.leaderEpoch ?? -1, commitTimestamp: -1n,
          committedMetadata: p.metadata ?? '',
        })),
      })),
    });
    for (const t of r.topics) {
      for (const p of t.partitions) throwIfError(p.errorCode, `OffsetCommit for '${groupId}', ${t.name}-${p.partitionIndex}`);
    }
  });
}

export async function fetchGroupOffsets(
  cluster: Cluster, groupId: string, partitions: readonly TopicPartition[],
): Promise<Array<TopicPartition & { offset: bigint | null; leaderEpoch: number; metadata: string | null }>> {
  if (partitions.length === 0) return [];
  const found = await fetchOffsets(cluster, groupId, partitions, { requireStable: true });
  const byKey = new Map(found.map((f) => [`${f.topic}\u0000${f.partition}`, f]));
  return partitions.map((tp) => {
    const f = byKey.get(`${tp.topic}\u0000${tp.partition}`);
    return { topic: tp.topic, partition: tp.partition, offset: f?.offset ?? null, leaderEpoch: f?.leaderEpoch ?? -1, metadata: f?.metadata ?? null };
  });
}
