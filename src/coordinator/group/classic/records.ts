/**
 * A classic group as a GroupMetadata record, and back (replay at load).
 */
import { assert } from '../../../common/errors.js';
import type { groupCoordinatorRecords as gcr } from '../../../protocol/index.js';
import type { GroupRecord } from '../records.js';
import { ClassicGroup } from './group.js';
import { ClassicMember } from './member.js';

/** The group with the given assignment per member (every member must have one). */
export function groupMetadataRecord(group: ClassicGroup, assignment: ReadonlyMap<string, Buffer>): GroupRecord {
  const members = [...group.members.values()].map((m): gcr.GroupMetadataValueMemberMetadata => {
    const subscription = group.protocolName !== null ? m.metadata(group.protocolName) : undefined;
    assert(subscription !== undefined, `group ${group.groupId}: member ${m.memberId} without the selected protocol`);
    const memberAssignment = assignment.get(m.memberId);
    assert(memberAssignment !== undefined, `group ${group.groupId}: member ${m.memberId} without an assignment`);
    return {
      memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
      rebalanceTimeout: m.rebalanceTimeoutMs, sessionTimeout: m.sessionTimeoutMs, subscription, assignment: memberAssignment,
    };
  });
  return {
    type: 'GroupMetadata',
    key: { group: group.groupId },
    value: {
      protocolType: group.protocolType ?? '',
      generation: group.generationId,
      protocol: group.protocolName,
      leader: group.leaderId,
      currentStateTimestamp: BigInt(group.currentStateTimestampMs ?? -1),
      members,
    },
  };
}

/** The record Kafka writes for a group a JoinGroup just created. */
export function emptyGroupMetadataRecord(group: ClassicGroup): GroupRecord {
  return {
    type: 'GroupMetadata',
    key: { group: group.groupId },
    value: {
      protocolType: '', generation: 0, protocol: null, leader: null,
      currentStateTimestamp: BigInt(group.currentStateTimestampMs ?? -1), members: [],
    },
  };
}

export function groupTombstone(groupId: string): GroupRecord {
  return { type: 'GroupMetadata', key: { group: groupId }, value: null };
}

/** The group a GroupMetadata value describes: Stable with its members, or Empty. */
export function groupFromRecord(groupId: string, value: gcr.GroupMetadataValue): ClassicGroup {
  const group = new ClassicGroup(
    groupId,
    value.members.length > 0 ? 'Stable' : 'Empty',
    value.generation,
    value.protocolType === '' ? null : value.protocolType,
    value.protocol,
    value.leader,
    value.currentStateTimestamp === -1n ? null : Number(value.currentStateTimestamp),
  );
  for (const m of value.members) {
    const member = new ClassicMember(
      m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
      m.rebalanceTimeout === -1 ? m.sessionTimeout : m.rebalanceTimeout, m.sessionTimeout,
      value.protocolType, [{ name: value.protocol ?? '', metadata: m.subscription }], m.assignment,
    );
    group.add(member, null, 0);
  }
  // add() elects the first member when no leader is recorded; keep the recorded one.
  if (value.leader !== null || value.members.length === 0) group.leaderId = value.leader;
  group.subscribedTopics = group.computeSubscribedTopics();
  return group;
}
