/**
 * JoinGroup (11): checked here as Kafka's GroupCoordinatorService does (a group id, a session
 * timeout within group.min/max.session.timeout.ms), then handed to the shard; the answer comes
 * when the rebalance completes (or the member must retry).
 */
import { ApiKey, ErrorCode, JoinGroupResponse, type JoinGroupRequest } from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';
import { groupRequestContext } from './group-support.js';

function failed(errorCode: number, memberId: string): JoinGroupResponse {
  return { ...JoinGroupResponse.defaults(), errorCode, memberId };
}

export const joinGroupHandler = defineHandler<JoinGroupRequest, JoinGroupResponse>({
  apiKey: ApiKey.JoinGroup,
  versions: allVersions(ApiKey.JoinGroup),
  async handle({ body, apiVersion, services, request }) {
    if (body.groupId === '') return failed(ErrorCode.INVALID_GROUP_ID, body.memberId);
    const { groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs } = services.groupCoordinator.settings.shard;
    if (body.sessionTimeoutMs < groupMinSessionTimeoutMs || body.sessionTimeoutMs > groupMaxSessionTimeoutMs) {
      return failed(ErrorCode.INVALID_SESSION_TIMEOUT, body.memberId);
    }
    // v0 has no rebalance timeout: the session timeout stands in for it.
    const join: JoinGroupRequest = apiVersion === 0 ? { ...body, rebalanceTimeoutMs: body.sessionTimeoutMs } : body;
    const ctx = groupRequestContext(request, apiVersion);
    const response = await services.groupCoordinator.write(body.groupId, (shard) => shard.joinGroup(ctx, join), (errorCode) => failed(errorCode, ''));
    // Before v7 the protocol name is not nullable.
    return apiVersion < 7 && response.protocolName === null ? { ...response, protocolName: '' } : response;
  },
});
