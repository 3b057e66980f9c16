/**
 * DescribeGroups and ListGroups views of classic groups.
 */
import {
  type DescribeGroupsResponseDescribedGroup,
  ErrorCode,
  type ListGroupsResponseListedGroup,
} from '../../../protocol/index.js';
import type { ClassicGroup } from './group.js';
import { EMPTY_ASSIGNMENT } from './member.js';

/** Kafka's "authorized operations not requested" value. */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

/** What DescribeGroups answers for a group id this shard does not know (state Dead, no error). */
export function deadGroupDescription(groupId: string): DescribeGroupsResponseDescribedGroup {
  return {
    errorCode: ErrorCode.NONE, groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [],
    authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

/** Member metadata is shown only once a protocol is settled (Stable), as Kafka does. */
export function describeClassicGroup(group: ClassicGroup): DescribeGroupsResponseDescribedGroup {
  const stable = group.is('Stable') && group.protocolName !== null;
  return {
    errorCode: ErrorCode.NONE,
    groupId: group.groupId,
    groupState: group.state,
    protocolType: group.protocolType ?? '',
    protocolData: stable ? group.protocolName! : '',
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: (stable ? m.metadata(group.protocolName!) : undefined) ?? EMPTY_ASSIGNMENT,
      memberAssignment: m.assignment,
    })),
    authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

export function listClassicGroup(group: ClassicGroup): ListGroupsResponseListedGroup {
  return { groupId: group.groupId, protocolType: group.protocolType ?? '', groupState: group.state, groupType: 'classic' };
}
