/**
 * The ConsumerGroup* records (Kafka's GroupCoordinatorRecordHelpers for consumer groups), values
 * and tombstones.
 */
import type { GroupRecord } from '../records.js';
import { type Assignment, assignmentToEntries } from './assignment.js';
import type { SubscriptionMetadata } from './group.js';
import type { ConsumerMember } from './member.js';

export function memberMetadataRecord(groupId: string, m: ConsumerMember): GroupRecord {
  return {
    type: 'ConsumerGroupMemberMetadata',
    key: { groupId, memberId: m.memberId },
    value: {
      instanceId: m.instanceId,
      rackId: m.rackId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      subscribedTopicNames: [...m.subscribedTopicNames],
      subscribedTopicRegex: m.subscribedTopicRegex,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      serverAssignor: m.serverAssignor,
      classicMemberMetadata: m.classicMemberMetadata,
    },
  };
}

export function memberMetadataTombstone(groupId: string, memberId: string): GroupRecord {
  return { type: 'ConsumerGroupMemberMetadata', key: { groupId, memberId }, value: null };
}

export function groupEpochRecord(groupId: string, epoch: number): GroupRecord {
  return { type: 'ConsumerGroupMetadata', key: { groupId }, value: { epoch } };
}

export function groupEpochTombstone(groupId: string): GroupRecord {
  return { type: 'ConsumerGroupMetadata', key: { groupId }, value: null };
}

export function subscriptionMetadataRecord(groupId: string, metadata: SubscriptionMetadata): GroupRecord {
  const topics = [...metadata.values()]
    .sort((a, b) => (a.topicName < b.topicName ? -1 : a.topicName > b.topicName ? 1 : 0))
    .map((t) => ({ topicId: t.topicId, topicName: t.topicName, numPartitions: t.numPartitions, partitionMetadata: [] }));
  return { type: 'ConsumerGroupPartitionMetadata', key: { groupId }, value: { topics } };
}

export function subscriptionMetadataTombstone(groupId: string): GroupRecord {
  return { type: 'ConsumerGroupPartitionMetadata', key: { groupId }, value: null };
}

export function targetAssignmentRecord(groupId: string, memberId: string, assignment: Assignment): GroupRecord {
  return {
    type: 'ConsumerGroupTargetAssignmentMember',
    key: { groupId, memberId },
    value: { topicPartitions: assignmentToEntries(assignment) },
  };
}

export function targetAssignmentTombstone(groupId: string, memberId: string): GroupRecord {
  return { type: 'ConsumerGroupTargetAssignmentMember', key: { groupId, memberId }, value: null };
}

export function targetAssignmentEpochRecord(groupId: string, assignmentEpoch: number): GroupRecord {
  return { type: 'ConsumerGroupTargetAssignmentMetadata', key: { groupId }, value: { assignmentEpoch } };
}

export function targetAssignmentEpochTombstone(groupId: string): GroupRecord {
  return { type: 'ConsumerGroupTargetAssignmentMetadata', key: { groupId }, value: null };
}

export function currentAssignmentRecord(groupId: string, m: ConsumerMember): GroupRecord {
  return {
    type: 'ConsumerGroupCurrentMemberAssignment',
    key: { groupId, memberId: m.memberId },
    value: {
      memberEpoch: m.memberEpoch,
      previousMemberEpoch: m.previousMemberEpoch,
      state: m.state,
      assignedPartitions: assignmentToEntries(m.assignedPartitions),
      partitionsPendingRevocation: assignmentToEntries(m.partitionsPendingRevocation),
    },
  };
}

export function currentAssignmentTombstone(groupId: string, memberId: string): GroupRecord {
  return { type: 'ConsumerGroupCurrentMemberAssignment', key: { groupId, memberId }, value: null };
}

/** A member's three tombstones, in the order Kafka writes them. */
export function memberTombstones(groupId: string, memberId: string): GroupRecord[] {
  return [
    currentAssignmentTombstone(groupId, memberId),
    targetAssignmentTombstone(groupId, memberId),
    memberMetadataTombstone(groupId, memberId),
  ];
}
