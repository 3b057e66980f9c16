/**
 * OffsetCommit (v0-9). Classic groups check member, generation and state as Kafka's
 * ClassicGroup.validateOffsetCommit; consumer groups check through ConsumerGroupsApi. A commit
 * with generation -1 and no member id (a simple consumer or an admin) is accepted only while the
 * group is Empty, and creates the (classic, Empty) group when there is none.
 */
import {
  ErrorCode,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
  type OffsetCommitResponseTopic,
} from '../../../protocol/index.js';
import { ClassicGroup } from '../classic/group.js';
import { rescheduleHeartbeat } from '../classic/rebalance.js';
import type { GroupRecord } from '../records.js';
import type { CoordinatorResult, RequestContext } from '../shard-api.js';
import type { OffsetsEnv } from './env.js';
import { offsetCommitRecord } from './store.js';

/** Every partition of the request answered with one error. */
function failAll(req: OffsetCommitRequest, errorCode: number): CoordinatorResult<OffsetCommitResponse> {
  return {
    records: [],
    response: {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
    },
  };
}

/**
 * Kafka's ClassicGroup.validateOffsetCommit. A transactional commit (TxnOffsetCommit) may come
 * without member id and generation (versions before 3 cannot send them) whatever the group's
 * state, and is not held back while the group completes a rebalance.
 */
export function validateClassicOffsetCommit(
  group: ClassicGroup, memberId: string, groupInstanceId: string | null, generationId: number, transactional = false,
): number {
  if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  if (generationId < 0 && group.isEmpty()) return ErrorCode.NONE;
  if (generationId >= 0 || memberId !== '' || groupInstanceId !== null) {
    const error = group.validateMember(memberId, groupInstanceId);
    if (error !== ErrorCode.NONE) return error;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  } else if (!transactional && !group.isEmpty()) {
    // No member id and no generation: only for groups without members.
    return ErrorCode.UNKNOWN_MEMBER_ID;
  }
  // The member has its new generation but not its assignment yet.
  if (!transactional && group.is('CompletingRebalance')) return ErrorCode.REBALANCE_IN_PROGRESS;
  return ErrorCode.NONE;
}

function validate(env: OffsetsEnv, ctx: RequestContext, req: OffsetCommitRequest): number {
  const { groupId, memberId, generationIdOrMemberEpoch: generation } = req;
  if (env.consumerGroups.has(groupId)) {
    return env.consumerGroups.validateOffsetCommit(groupId, memberId, generation, ctx.apiVersion);
  }
  let group = env.classic.groups.get(groupId);
  if (group === undefined) {
    if (generation >= 0) return ctx.apiVersion >= 9 ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION;
    group = ClassicGroup.create(groupId, env.clock.nowMs());
    env.classic.groups.set(groupId, group);
  }
  const error = validateClassicOffsetCommit(group, memberId, req.groupInstanceId, generation);
  if (error === ErrorCode.NONE && (group.is('Stable') || group.is('PreparingRebalance'))) {
    // A commit proves the member alive.
    rescheduleHeartbeat(env.classic, group, group.members.get(memberId)!);
  }
  return error;
}

export function commitOffsets(env: OffsetsEnv, ctx: RequestContext, req: OffsetCommitRequest): CoordinatorResult<OffsetCommitResponse> {
  if (req.groupId === '') return failAll(req, ErrorCode.INVALID_GROUP_ID);
  const error = validate(env, ctx, req);
  if (error !== ErrorCode.NONE) return failAll(req, error);

  const nowMs = env.clock.nowMs();
  // v2-4 retention time: the offset expires then, whatever the group does.
  const expireTimestampMs = req.retentionTimeMs === -1n ? null : nowMs + Number(req.retentionTimeMs);
  const records: GroupRecord[] = [];
  const topics: OffsetCommitResponseTopic[] = req.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((p) => {
      const metadata = p.committedMetadata ?? '';
      if (metadata.length > env.config.offsetMetadataMaxBytes) {
        return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.OFFSET_METADATA_TOO_LARGE };
      }
      records.push(offsetCommitRecord(req.groupId, topic.name, p.partitionIndex, {
        offset: p.committedOffset,
        leaderEpoch: p.committedLeaderEpoch,
        metadata,
        // v1 may carry its own commit timestamp.
        commitTimestampMs: p.commitTimestamp === -1n ? nowMs : Number(p.commitTimestamp),
        expireTimestampMs,
      }));
      return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE };
    }),
  }));
  env.apply(records);
  return { records, response: { throttleTimeMs: 0, topics } };
}
