/**
 * Applies one ConsumerGroup* record to the groups of a shard (Kafka's GroupMetadataManager.replay
 * for consumer groups). Live operations apply their records through here too, so the state after
 * an operation is exactly what replaying its records rebuilds.
 */
import type { GroupRecord } from '../records.js';
import { assignmentFromEntries } from './assignment.js';
import { ConsumerGroup, type SubscribedTopic } from './group.js';
import { LEAVE_GROUP_MEMBER_EPOCH, newMember, withAssignmentRecord, withMetadataRecord } from './member.js';

function getOrCreate(groups: Map<string, ConsumerGroup>, groupId: string): ConsumerGroup {
  let group = groups.get(groupId);
  if (!group) groups.set(groupId, (group = new ConsumerGroup(groupId)));
  return group;
}

function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Returns false when the record is not a consumer group record. */
export function replayConsumerGroupRecord(groups: Map<string, ConsumerGroup>, record: GroupRecord): boolean {
  switch (record.type) {
    case 'ConsumerGroupMemberMetadata': {
      const { groupId, memberId } = record.key;
      if (record.value) {
        const group = getOrCreate(groups, groupId);
        group.updateMember(withMetadataRecord(group.members.get(memberId) ?? newMember(memberId), record.value));
      } else {
        const member = groups.get(groupId)?.members.get(memberId);
        if (!member) return true;
        const group = groups.get(groupId)!;
        invariant(member.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH,
          `tombstone of member ${memberId} of ${groupId} before its current assignment tombstone`);
        invariant(!group.targetAssignment.has(memberId),
          `tombstone of member ${memberId} of ${groupId} before its target assignment tombstone`);
        group.removeMember(memberId);
      }
      return true;
    }
    case 'ConsumerGroupMetadata': {
      const { groupId } = record.key;
      if (record.value) {
        getOrCreate(groups, groupId).groupEpoch = record.value.epoch;
      } else {
        const group = groups.get(groupId);
        if (!group) return true;
        invariant(group.members.size === 0, `tombstone of group ${groupId} while it has ${group.members.size} members`);
        invariant(group.targetAssignment.size === 0, `tombstone of group ${groupId} while it has a target assignment`);
        invariant(group.assignmentEpoch === -1, `tombstone of group ${groupId} before its target assignment epoch tombstone`);
        groups.delete(groupId);
      }
      return true;
    }
    case 'ConsumerGroupPartitionMetadata': {
      const { groupId } = record.key;
      if (!record.value && !groups.has(groupId)) return true;
      const group = getOrCreate(groups, groupId);
      const metadata = new Map<string, SubscribedTopic>();
      for (const t of record.value?.topics ?? []) {
        metadata.set(t.topicName, { topicId: t.topicId, topicName: t.topicName, numPartitions: t.numPartitions });
      }
      group.subscriptionMetadata = metadata;
      return true;
    }
    case 'ConsumerGroupTargetAssignmentMember': {
      const { groupId, memberId } = record.key;
      if (record.value) getOrCreate(groups, groupId).targetAssignment.set(memberId, assignmentFromEntries(record.value.topicPartitions));
      else groups.get(groupId)?.targetAssignment.delete(memberId);
      return true;
    }
    case 'ConsumerGroupTargetAssignmentMetadata': {
      const { groupId } = record.key;
      if (record.value) {
        getOrCreate(groups, groupId).assignmentEpoch = record.value.assignmentEpoch;
      } else {
        const group = groups.get(groupId);
        if (!group) return true;
        invariant(group.targetAssignment.size === 0, `tombstone of the target assignment epoch of ${groupId} while members have targets`);
        group.assignmentEpoch = -1;
      }
      return true;
    }
    case 'ConsumerGroupCurrentMemberAssignment': {
      const { groupId, memberId } = record.key;
      if (record.value) {
        const group = getOrCreate(groups, groupId);
        group.updateMember(withAssignmentRecord(group.members.get(memberId) ?? newMember(memberId), record.value));
      } else {
        const group = groups.get(groupId);
        const member = group?.members.get(memberId);
        if (!group || !member) return true;
        group.updateMember({
          ...member,
          memberEpoch: LEAVE_GROUP_MEMBER_EPOCH,
          previousMemberEpoch: LEAVE_GROUP_MEMBER_EPOCH,
          assignedPartitions: new Map(),
          partitionsPendingRevocation: new Map(),
        });
      }
      return true;
    }
    default:
      return false;
  }
}
