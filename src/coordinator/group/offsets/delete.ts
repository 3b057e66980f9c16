/**
 * OffsetDelete (a group's offsets for some partitions) and DeleteGroups (Empty groups with all
 * their offsets).
 */
import {
  type DeleteGroupsResponseDeletableGroupResult,
  ErrorCode,
  type OffsetDeleteRequest,
  type OffsetDeleteResponse,
} from '../../../protocol/index.js';
import { groupTombstone } from '../classic/records.js';
import type { GroupRecord } from '../records.js';
import type { CoordinatorResult } from '../shard-api.js';
import type { OffsetsEnv } from './env.js';
import { offsetTombstone } from './store.js';

/** GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, or how to tell whether the group subscribes to a topic. */
function offsetDeleteTarget(env: OffsetsEnv, groupId: string): number | ((topic: string) => boolean) {
  if (env.consumerGroups.has(groupId)) return (topic) => env.consumerGroups.isSubscribedToTopic(groupId, topic);
  const group = env.classic.groups.get(groupId);
  if (group === undefined || group.is('Dead')) return ErrorCode.GROUP_ID_NOT_FOUND;
  // Without the consumer protocol the coordinator cannot tell what a live group consumes.
  if (!group.isEmpty() && !group.usesConsumerProtocol()) return ErrorCode.NON_EMPTY_GROUP;
  return (topic) => group.isSubscribedToTopic(topic);
}

export function deleteOffsets(env: OffsetsEnv, req: OffsetDeleteRequest): CoordinatorResult<OffsetDeleteResponse> {
  const fail = (errorCode: number): CoordinatorResult<OffsetDeleteResponse> => ({
    records: [], response: { errorCode, throttleTimeMs: 0, topics: [] },
  });
  if (req.groupId === '') return fail(ErrorCode.INVALID_GROUP_ID);
  const target = offsetDeleteTarget(env, req.groupId);
  if (typeof target === 'number') return fail(target);
  const records: GroupRecord[] = [];
  const topics = req.topics.map((topic) => {
    const subscribed = target(topic.name);
    return {
      name: topic.name,
      partitions: topic.partitions.map(({ partitionIndex }) => {
        if (subscribed) return { partitionIndex, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC };
        if (env.store.get(req.groupId, topic.name, partitionIndex) !== undefined || env.store.hasPending(req.groupId, topic.name, partitionIndex)) {
          records.push(offsetTombstone(req.groupId, topic.name, partitionIndex));
        }
        return { partitionIndex, errorCode: ErrorCode.NONE };
      }),
    };
  });
  env.apply(records);
  return { records, response: { errorCode: ErrorCode.NONE, throttleTimeMs: 0, topics } };
}

/** Tombstones for every committed (or pending) offset of the group. */
function allOffsetTombstones(env: OffsetsEnv, groupId: string): GroupRecord[] {
  return env.store.partitionsOfGroup(groupId).map(({ topic, partition }) => offsetTombstone(groupId, topic, partition));
}

function deleteGroup(env: OffsetsEnv, groupId: string): { errorCode: number; records: GroupRecord[] } {
  if (env.consumerGroups.has(groupId)) {
    if (!env.consumerGroups.isEmpty(groupId)) return { errorCode: ErrorCode.NON_EMPTY_GROUP, records: [] };
    const offsets = allOffsetTombstones(env, groupId);
    const deleted = env.consumerGroups.delete(groupId);
    if (deleted.errorCode !== ErrorCode.NONE) return { errorCode: deleted.errorCode, records: [] };
    return { errorCode: ErrorCode.NONE, records: [...offsets, ...deleted.records] };
  }
  const group = env.classic.groups.get(groupId);
  if (group === undefined || group.is('Dead')) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, records: [] };
  if (!group.isEmpty()) return { errorCode: ErrorCode.NON_EMPTY_GROUP, records: [] };
  return { errorCode: ErrorCode.NONE, records: [...allOffsetTombstones(env, groupId), groupTombstone(groupId)] };
}

export function deleteGroups(env: OffsetsEnv, groupIds: readonly string[]): CoordinatorResult<DeleteGroupsResponseDeletableGroupResult[]> {
  const records: GroupRecord[] = [];
  const results = groupIds.map((groupId) => {
    const deleted = deleteGroup(env, groupId);
    records.push(...deleted.records);
    return { groupId, errorCode: deleted.errorCode };
  });
  env.apply(records);
  return { records, response: results };
}
