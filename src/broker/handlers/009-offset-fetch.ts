/**
 * OffsetFetch (9): v0-7 ask for one group (its error at the top level from v2, on each requested
 * partition before), v8+ for many: the groups are split by the shard owning them, read there in
 * turn with the shard's writes, and the answers merged. A null topic list means every committed
 * offset of the group.
 */
import type { OffsetFetchGroupRequest } from '../../coordinator/group/shard-api.js';
import {
  ApiKey, ErrorCode, type OffsetFetchRequest, type OffsetFetchResponse, type OffsetFetchResponseGroup, type OffsetFetchResponseTopic,
} from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';
import { groupRequestContext, perShard } from './group-support.js';

function groupError(groupId: string, errorCode: number): OffsetFetchResponseGroup {
  return { groupId, topics: [], errorCode };
}

/** Versions before 2 have no top-level error: a group error goes on every requested partition. */
function partitionsWithError(request: OffsetFetchGroupRequest, errorCode: number): OffsetFetchResponseTopic[] {
  return (request.topics ?? []).map((t) => ({
    name: t.name,
    partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode })),
  }));
}

export const offsetFetchHandler = defineHandler<OffsetFetchRequest, OffsetFetchResponse>({
  apiKey: ApiKey.OffsetFetch,
  versions: allVersions(ApiKey.OffsetFetch),
  async handle({ body, apiVersion, services, request }) {
    const ctx = groupRequestContext(request, apiVersion);
    const groups: OffsetFetchGroupRequest[] = apiVersion >= 8
      ? body.groups.map((g) => ({ groupId: g.groupId, memberId: g.memberId, memberEpoch: g.memberEpoch, topics: g.topics }))
      : [{ groupId: body.groupId, memberId: null, memberEpoch: -1, topics: body.topics }];
    const answers = await perShard(services, groups, (g) => g.groupId, (groupId, list) =>
      services.groupCoordinator.read(
        groupId,
        (shard) => list.map((g) => shard.offsetFetch(ctx, g, body.requireStable)),
        (errorCode) => list.map((g) => groupError(g.groupId, errorCode)),
      ));
    if (apiVersion >= 8) return { throttleTimeMs: 0, topics: [], errorCode: ErrorCode.NONE, groups: answers };
    const group = answers[0] ?? groupError(body.groupId, ErrorCode.UNKNOWN_SERVER_ERROR);
    const failed = group.errorCode !== ErrorCode.NONE;
    return {
      throttleTimeMs: 0,
      topics: failed && apiVersion < 2 ? partitionsWithError(groups[0]!, group.errorCode) : group.topics,
      errorCode: apiVersion >= 2 ? group.errorCode : ErrorCode.NONE,
      groups: [],
    };
  },
});
