/**
 * OffsetFetch for one group: the committed offset, leader epoch and metadata per partition
 * (-1 and "" where nothing is committed, and for unknown groups, without an error); all the
 * group's offsets when no topics are named; UNSTABLE_OFFSET_COMMIT for partitions with a pending
 * transactional commit when the client requires stable offsets.
 */
import { ErrorCode, type OffsetFetchResponseGroup, type OffsetFetchResponsePartitions } from '../../../protocol/index.js';
import type { OffsetFetchGroupRequest } from '../shard-api.js';
import type { OffsetsEnv } from './env.js';
import type { CommittedOffset } from './store.js';

function partitionAnswer(env: OffsetsEnv, groupId: string, topic: string, partitionIndex: number,
  offset: CommittedOffset | undefined, requireStable: boolean): OffsetFetchResponsePartitions {
  if (requireStable && env.store.hasPending(groupId, topic, partitionIndex)) {
    return { partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT };
  }
  if (offset === undefined) {
    return { partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE };
  }
  return {
    partitionIndex, committedOffset: offset.offset, committedLeaderEpoch: offset.leaderEpoch, metadata: offset.metadata,
    errorCode: ErrorCode.NONE,
  };
}

export function fetchOffsets(env: OffsetsEnv, request: OffsetFetchGroupRequest, requireStable: boolean): OffsetFetchResponseGroup {
  const { groupId } = request;
  if (groupId === '') return { groupId, topics: [], errorCode: ErrorCode.INVALID_GROUP_ID };
  let known: boolean;
  if (env.consumerGroups.has(groupId)) {
    const error = env.consumerGroups.validateOffsetFetch(groupId, request.memberId, request.memberEpoch);
    if (error !== ErrorCode.NONE) return { groupId, topics: [], errorCode: error };
    known = true;
  } else {
    const group = env.classic.groups.get(groupId);
    known = group !== undefined && !group.is('Dead');
  }
  const offsets = known ? env.store.groupOffsets(groupId) : undefined;

  if (request.topics === null) {
    const topics = [...(offsets ?? [])].map(([name, byPartition]) => ({
      name,
      partitions: [...byPartition].map(([partition, offset]) => partitionAnswer(env, groupId, name, partition, offset, requireStable)),
    }));
    return { groupId, topics, errorCode: ErrorCode.NONE };
  }
  const topics = request.topics.map((t) => ({
    name: t.name,
    partitions: t.partitionIndexes.map((partition) =>
      partitionAnswer(env, groupId, t.name, partition, offsets?.get(t.name)?.get(partition), requireStable)),
  }));
  return { groupId, topics, errorCode: ErrorCode.NONE };
}
