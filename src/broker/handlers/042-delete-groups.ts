/**
 * DeleteGroups (42): each distinct group id goes to the shard owning it, which deletes empty
 * groups with their offsets (NON_EMPTY_GROUP / GROUP_ID_NOT_FOUND otherwise); a shard that
 * cannot take the write gives each of its groups the error.
 */
import { ApiKey, type DeleteGroupsRequest, type DeleteGroupsResponse, type DeleteGroupsResponseDeletableGroupResult } from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';
import { groupRequestContext, perShard } from './group-support.js';

export const deleteGroupsHandler = defineHandler<DeleteGroupsRequest, DeleteGroupsResponse>({
  apiKey: ApiKey.DeleteGroups,
  versions: allVersions(ApiKey.DeleteGroups),
  async handle({ body, apiVersion, services, request }) {
    const ctx = groupRequestContext(request, apiVersion);
    const results = await perShard(services, [...new Set(body.groupsNames)], (id) => id, (groupId, ids) =>
      services.groupCoordinator.write(
        groupId,
        (shard) => shard.deleteGroups(ctx, ids),
        (errorCode) => ids.map((id): DeleteGroupsResponseDeletableGroupResult => ({ groupId: id, errorCode })),
      ));
    return { throttleTimeMs: 0, results };
  },
});
