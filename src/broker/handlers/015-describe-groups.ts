/**
 * DescribeGroups (15): groups split by the shard owning them, described there, answers merged.
 * A group whose shard cannot answer gets the error with empty state. With
 * includeAuthorizedOperations (v3+) described groups report every group operation (no
 * authorizer yet).
 */
import {
  ApiKey, ErrorCode, type DescribeGroupsRequest, type DescribeGroupsResponse, type DescribeGroupsResponseDescribedGroup,
  defaultDescribeGroupsResponseDescribedGroup,
} from '../../protocol/index.js';
import { ALL_GROUP_OPERATIONS, OPERATIONS_NOT_REQUESTED } from '../internal-topics.js';
import { allVersions, defineHandler } from './api-handler.js';
import { groupRequestContext, perShard } from './group-support.js';

function failed(groupId: string, errorCode: number): DescribeGroupsResponseDescribedGroup {
  return { ...defaultDescribeGroupsResponseDescribedGroup(), groupId, errorCode };
}

export const describeGroupsHandler = defineHandler<DescribeGroupsRequest, DescribeGroupsResponse>({
  apiKey: ApiKey.DescribeGroups,
  versions: allVersions(ApiKey.DescribeGroups),
  async handle({ body, apiVersion, services, request }) {
    const ctx = groupRequestContext(request, apiVersion);
    const withOperations = apiVersion >= 3 && body.includeAuthorizedOperations;
    const groups = await perShard(services, body.groups, (id) => id, (groupId, ids) =>
      services.groupCoordinator.read(
        groupId,
        (shard) => shard.describeGroups(ctx, ids, withOperations),
        (errorCode) => ids.map((id) => failed(id, errorCode)),
      ));
    return {
      throttleTimeMs: 0,
      groups: groups.map((g) => ({
        ...g,
        authorizedOperations: withOperations && g.errorCode === ErrorCode.NONE ? ALL_GROUP_OPERATIONS : OPERATIONS_NOT_REQUESTED,
      })),
    };
  },
});
