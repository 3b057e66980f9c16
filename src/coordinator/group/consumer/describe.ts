/**
 * How consumer groups look from outside: ConsumerGroupDescribe and ListGroups (DescribeGroups,
 * the classic API, reads a consumer group as Dead, as Kafka does).
 */
import type { MetadataImage } from '../../../metadata/index.js';
import {
  type ConsumerGroupDescribeResponseAssignment,
  type ConsumerGroupDescribeResponseDescribedGroup,
  ErrorCode,
} from '../../../protocol/index.js';
import type { ListedGroupView } from '../consumer-groups-api.js';
import { type Assignment, assignmentToEntries, EMPTY_ASSIGNMENT } from './assignment.js';
import type { ConsumerGroupsContext } from './context.js';
import type { ConsumerGroup } from './group.js';
import type { ConsumerMember } from './member.js';
import { groupAssignorName } from './target-assignment.js';

/** AuthorizedOperations when the client did not ask for them (Kafka's INT32_MIN sentinel). */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;
export const CONSUMER_PROTOCOL_TYPE = 'consumer';

function describeAssignment(a: Assignment, image: MetadataImage): ConsumerGroupDescribeResponseAssignment {
  const topicPartitions = [];
  for (const { topicId, partitions } of assignmentToEntries(a)) {
    const topic = image.topicsById.get(topicId);
    if (topic) topicPartitions.push({ topicId, topicName: topic.name, partitions });
  }
  return { topicPartitions };
}

function sortedMembers(group: ConsumerGroup): ConsumerMember[] {
  return [...group.members.values()].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
}

export function describeGroup(ctx: ConsumerGroupsContext, groupId: string): ConsumerGroupDescribeResponseDescribedGroup {
  const group = ctx.groups.get(groupId);
  if (!group) {
    return {
      errorCode: ErrorCode.GROUP_ID_NOT_FOUND,
      errorMessage: ctx.options.isClassicGroup(groupId) ? `Group ${groupId} is not a consumer group` : `Group ${groupId} not found.`,
      groupId,
      groupState: '',
      groupEpoch: 0,
      assignmentEpoch: 0,
      assignorName: '',
      members: [],
      authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    };
  }
  const image = ctx.options.metadata();
  return {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    groupId,
    groupState: group.state(),
    groupEpoch: group.groupEpoch,
    assignmentEpoch: group.assignmentEpoch,
    assignorName: groupAssignorName(ctx, group),
    members: sortedMembers(group).map((m) => ({
      memberId: m.memberId,
      instanceId: m.instanceId,
      rackId: m.rackId,
      memberEpoch: m.memberEpoch,
      clientId: m.clientId,
      clientHost: m.clientHost,
      subscribedTopicNames: [...m.subscribedTopicNames],
      subscribedTopicRegex: m.subscribedTopicRegex === '' ? null : m.subscribedTopicRegex,
      assignment: describeAssignment(m.assignedPartitions, image),
      targetAssignment: describeAssignment(group.targetAssignment.get(m.memberId) ?? EMPTY_ASSIGNMENT, image),
    })),
    authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

export function listGroups(ctx: ConsumerGroupsContext): ListedGroupView[] {
  return [...ctx.groups.values()]
    .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0))
    .map((g) => ({ groupId: g.groupId, protocolType: CONSUMER_PROTOCOL_TYPE, groupState: g.state(), groupType: 'consumer' }));
}
