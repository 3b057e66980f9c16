/**
 * Heartbeat (12): a classic group member's keep-alive. While the group's partition is loading
 * the heartbeat is answered NONE (as Kafka: the member keeps its session until the coordinator
 * can judge it).
 */
import { ApiKey, ErrorCode, type HeartbeatRequest, type HeartbeatResponse } from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';
import { groupRequestContext } from './group-support.js';

export const heartbeatHandler = defineHandler<HeartbeatRequest, HeartbeatResponse>({
  apiKey: ApiKey.Heartbeat,
  versions: allVersions(ApiKey.Heartbeat),
  handle({ body, apiVersion, services, request }) {
    if (body.groupId === '') return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_GROUP_ID };
    const ctx = groupRequestContext(request, apiVersion);
    return services.groupCoordinator.write(
      body.groupId,
      (shard) => shard.heartbeat(ctx, body),
      (errorCode) => ({ throttleTimeMs: 0, errorCode: errorCode === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS ? ErrorCode.NONE : errorCode }),
    );
  },
});
