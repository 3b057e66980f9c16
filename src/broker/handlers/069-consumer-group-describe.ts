/**
 * ConsumerGroupDescribe (69): KIP-848 groups, split by the shard owning them. An empty group id
 * is INVALID_GROUP_ID; a group whose shard cannot answer gets the error. Served only when
 * group.coordinator.rebalance.protocols includes "consumer".
 */
import {
  ApiKey, ErrorCode, type ConsumerGroupDescribeRequest, type ConsumerGroupDescribeResponse, type ConsumerGroupDescribeResponseDescribedGroup,
  defaultConsumerGroupDescribeResponseDescribedGroup,
} from '../../protocol/index.js';
import { ALL_GROUP_OPERATIONS, OPERATIONS_NOT_REQUESTED } from '../internal-topics.js';
import { allVersions, defineHandler } from './api-handler.js';
import { groupRequestContext, perShard } from './group-support.js';

function failed(groupId: string, errorCode: number): ConsumerGroupDescribeResponseDescribedGroup {
  return { ...defaultConsumerGroupDescribeResponseDescribedGroup(), groupId, errorCode };
}

export const consumerGroupDescribeHandler = defineHandler<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse>({
  apiKey: ApiKey.ConsumerGroupDescribe,
  versions: allVersions(ApiKey.ConsumerGroupDescribe),
  async handle({ body, apiVersion, services, request }) {
    const ctx = groupRequestContext(request, apiVersion);
    const withOperations = body.includeAuthorizedOperations;
    const invalid = body.groupIds.filter((id) => id === '').map((id) => failed(id, ErrorCode.INVALID_GROUP_ID));
    const described = await perShard(services, body.groupIds.filter((id) => id !== ''), (id) => id, (groupId, ids) =>
      services.groupCoordinator.read(
        groupId,
        (shard) => shard.consumerGroupDescribe(ctx, ids, withOperations),
        (errorCode) => ids.map((id) => failed(id, errorCode)),
      ));
    return {
      throttleTimeMs: 0,
      groups: [...invalid, ...described].map((g) => ({
        ...g,
        authorizedOperations: withOperations && g.errorCode === ErrorCode.NONE ? ALL_GROUP_OPERATIONS : OPERATIONS_NOT_REQUESTED,
      })),
    };
  },
});
