/**
 * TxnOffsetCommit (v0-4; Kafka's OffsetMetadataManager.commitTransactionalOffset): the offsets a
 * transactional producer sends with its transaction. They are written as OffsetCommit records in
 * a transactional batch of that producer and kept pending, invisible to OffsetFetch, until the
 * transaction's commit marker makes them the group's committed offsets (an abort drops them).
 *
 * Checks: an unknown group is accepted with generation -1 (a simple group is created, as for
 * OffsetCommit) and is ILLEGAL_GENERATION otherwise; member id, generation and group instance id
 * (v3+) are checked against a classic group only when one of them is given, and the member epoch
 * of a consumer group likewise (a stale epoch is ILLEGAL_GENERATION); metadata over
 * offset.metadata.max.bytes fails that partition with OFFSET_METADATA_TOO_LARGE. A request
 * without a producer id is INVALID_PRODUCER_ID_MAPPING.
 */
import {
  ErrorCode, type TxnOffsetCommitRequest, type TxnOffsetCommitResponse, type TxnOffsetCommitResponseTopic,
} from '../../../protocol/index.js';
import { ClassicGroup } from '../classic/group.js';
import type { GroupRecord } from '../records.js';
import type { CoordinatorResult } from '../shard-api.js';
import type { OffsetsEnv } from './env.js';
import { validateClassicOffsetCommit } from './commit.js';
import { offsetCommitRecord } from './store.js';

/** Every partition of the request answered with one error. */
export function txnOffsetCommitError(req: Pick<TxnOffsetCommitRequest, 'topics'>, errorCode: number): TxnOffsetCommitResponse {
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
  };
}

function validate(env: OffsetsEnv, req: TxnOffsetCommitRequest): number {
  const { groupId, memberId, groupInstanceId, generationId } = req;
  // No marker can ever end a transaction without a producer (Kafka's transaction verification refuses it too).
  if (req.producerId < 0n || req.producerEpoch < 0) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
  if (env.consumerGroups.has(groupId)) {
    return env.consumerGroups.validateTransactionalOffsetCommit(groupId, memberId, groupInstanceId, generationId);
  }
  let group = env.classic.groups.get(groupId);
  if (group === undefined) {
    if (generationId >= 0) return ErrorCode.ILLEGAL_GENERATION;
    group = ClassicGroup.create(groupId, env.clock.nowMs());
    env.classic.groups.set(groupId, group);
  }
  return validateClassicOffsetCommit(group, memberId, groupInstanceId, generationId, true);
}

export function commitTransactionalOffsets(env: OffsetsEnv, req: TxnOffsetCommitRequest): CoordinatorResult<TxnOffsetCommitResponse> {
  if (req.groupId === '') return { records: [], response: txnOffsetCommitError(req, ErrorCode.INVALID_GROUP_ID) };
  const error = validate(env, req);
  if (error !== ErrorCode.NONE) return { records: [], response: txnOffsetCommitError(req, error) };

  const nowMs = env.clock.nowMs();
  const records: GroupRecord[] = [];
  const topics: TxnOffsetCommitResponseTopic[] = req.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((p) => {
      const metadata = p.committedMetadata ?? '';
      if (metadata.length > env.config.offsetMetadataMaxBytes) {
        return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.OFFSET_METADATA_TOO_LARGE };
      }
      records.push(offsetCommitRecord(req.groupId, topic.name, p.partitionIndex, {
        offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata, commitTimestampMs: nowMs, expireTimestampMs: null,
      }));
      return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE };
    }),
  }));
  env.apply(records, req.producerId);
  return {
    records,
    response: { throttleTimeMs: 0, topics },
    transactional: { producerId: req.producerId, producerEpoch: req.producerEpoch },
  };
}
