/**
 * ListGroups (16): the groups of every shard served here, filtered by state (v4+) and type (v5+)
 * in the shard. A shard still loading makes the answer COORDINATOR_LOAD_IN_PROGRESS.
 */
import { ApiKey, type ListGroupsRequest, type ListGroupsResponse } from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';

export const listGroupsHandler = defineHandler<ListGroupsRequest, ListGroupsResponse>({
  apiKey: ApiKey.ListGroups,
  versions: allVersions(ApiKey.ListGroups),
  async handle({ body, apiVersion, services }) {
    const states = apiVersion >= 4 ? body.statesFilter : [];
    const types = apiVersion >= 5 ? body.typesFilter : [];
    const { errorCode, results } = await services.groupCoordinator.readAll((shard) => shard.listGroups(states, types));
    return { throttleTimeMs: 0, errorCode, groups: results };
  },
});
