/**
 * SyncGroup (14): the leader hands in the assignment, every member gets its share once the
 * assignment is durable. From v5 the protocol type and name are mandatory
 * (INCONSISTENT_GROUP_PROTOCOL without them, as Kafka).
 */
import { ApiKey, ErrorCode, type SyncGroupRequest, type SyncGroupResponse } from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';
import { groupRequestContext } from './group-support.js';

function failed(errorCode: number): SyncGroupResponse {
  return { throttleTimeMs: 0, errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
}

export const syncGroupHandler = defineHandler<SyncGroupRequest, SyncGroupResponse>({
  apiKey: ApiKey.SyncGroup,
  versions: allVersions(ApiKey.SyncGroup),
  handle({ body, apiVersion, services, request }) {
    if (apiVersion >= 5 && (body.protocolType === null || body.protocolName === null)) return failed(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    if (body.groupId === '') return failed(ErrorCode.INVALID_GROUP_ID);
    const ctx = groupRequestContext(request, apiVersion);
    return services.groupCoordinator.write(body.groupId, (shard) => shard.syncGroup(ctx, body), failed);
  },
});
