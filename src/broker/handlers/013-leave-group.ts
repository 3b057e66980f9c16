/**
 * LeaveGroup (13): v0-2 name one member by member id, v3+ a batch of members (static ones by
 * instance id). Requests are normalized to the batch form for the shard; v0-2 answers carry the
 * one member's error at the top level.
 */
import { ApiKey, ErrorCode, type LeaveGroupRequest, type LeaveGroupResponse } from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';
import { groupRequestContext } from './group-support.js';

export const leaveGroupHandler = defineHandler<LeaveGroupRequest, LeaveGroupResponse>({
  apiKey: ApiKey.LeaveGroup,
  versions: allVersions(ApiKey.LeaveGroup),
  async handle({ body, apiVersion, services, request }) {
    if (body.groupId === '') return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_GROUP_ID, members: [] };
    const leave: LeaveGroupRequest = apiVersion < 3 ? { ...body, members: [{ memberId: body.memberId, groupInstanceId: null, reason: null }] } : body;
    const ctx = groupRequestContext(request, apiVersion);
    const response = await services.groupCoordinator.write(
      body.groupId,
      (shard) => shard.leaveGroup(ctx, leave),
      (errorCode): LeaveGroupResponse => ({ throttleTimeMs: 0, errorCode, members: [] }),
    );
    if (apiVersion >= 3) return response;
    const errorCode = response.errorCode !== ErrorCode.NONE ? response.errorCode : (response.members[0]?.errorCode ?? ErrorCode.NONE);
    return { throttleTimeMs: response.throttleTimeMs, errorCode, members: [] };
  },
});
