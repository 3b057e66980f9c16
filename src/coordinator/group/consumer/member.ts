/**
 * A consumer group member (Kafka's ConsumerGroupMember): its subscription, persisted in
 * ConsumerGroupMemberMetadata, and its current assignment state, persisted in
 * ConsumerGroupCurrentMemberAssignment. Members are immutable values; changes make new ones.
 */
import type { groupCoordinatorRecords as gcr } from '../../../protocol/index.js';
import { type Assignment, assignmentEquals, assignmentFromEntries, EMPTY_ASSIGNMENT } from './assignment.js';

/** Kafka's MemberState values as persisted in the State field. */
export const MemberState = {
  STABLE: 0,
  UNREVOKED_PARTITIONS: 1,
  UNRELEASED_PARTITIONS: 2,
  UNKNOWN: 127,
} as const;
export type MemberState = (typeof MemberState)[keyof typeof MemberState];

export function memberStateFromValue(value: number): MemberState {
  switch (value) {
    case MemberState.STABLE:
    case MemberState.UNREVOKED_PARTITIONS:
    case MemberState.UNRELEASED_PARTITIONS:
      return value;
    default:
      return MemberState.UNKNOWN;
  }
}

/** Heartbeat epochs with a meaning of their own. */
export const LEAVE_GROUP_MEMBER_EPOCH = -1;
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

export type ClassicMemberMetadata = gcr.ConsumerGroupMemberMetadataValueClassicMemberMetadata;

export interface ConsumerMember {
  readonly memberId: string;
  readonly instanceId: string | null;
  readonly rackId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  /** Sorted and without repeats. */
  readonly subscribedTopicNames: readonly string[];
  readonly subscribedTopicRegex: string | null;
  readonly rebalanceTimeoutMs: number;
  readonly serverAssignor: string | null;
  /** Kept only to round-trip records written by members of the classic protocol. */
  readonly classicMemberMetadata: ClassicMemberMetadata | null;

  readonly memberEpoch: number;
  readonly previousMemberEpoch: number;
  readonly state: MemberState;
  readonly assignedPartitions: Assignment;
  readonly partitionsPendingRevocation: Assignment;
}

export function newMember(memberId: string): ConsumerMember {
  return {
    memberId,
    instanceId: null,
    rackId: null,
    clientId: '',
    clientHost: '',
    subscribedTopicNames: [],
    subscribedTopicRegex: null,
    rebalanceTimeoutMs: -1,
    serverAssignor: null,
    classicMemberMetadata: null,
    memberEpoch: 0,
    previousMemberEpoch: 0,
    state: MemberState.STABLE,
    assignedPartitions: EMPTY_ASSIGNMENT,
    partitionsPendingRevocation: EMPTY_ASSIGNMENT,
  };
}

export function normalizeTopicNames(names: readonly string[]): string[] {
  return [...new Set(names)].sort();
}

/** The regex a member subscribes with, or null (an empty string means none). */
export function activeRegex(member: ConsumerMember): string | null {
  return member.subscribedTopicRegex === null || member.subscribedTopicRegex === '' ? null : member.subscribedTopicRegex;
}

export function isReconciledTo(member: ConsumerMember, targetAssignmentEpoch: number): boolean {
  return member.state === MemberState.STABLE && member.memberEpoch === targetAssignmentEpoch;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** The subscription changed: the group epoch must be bumped. */
export function subscriptionChanged(before: ConsumerMember, after: ConsumerMember): boolean {
  return !sameNames(before.subscribedTopicNames, after.subscribedTopicNames) || before.subscribedTopicRegex !== after.subscribedTopicRegex;
}

/** Equality of everything ConsumerGroupMemberMetadata persists. */
export function metadataEquals(a: ConsumerMember, b: ConsumerMember): boolean {
  return (
    a.instanceId === b.instanceId &&
    a.rackId === b.rackId &&
    a.clientId === b.clientId &&
    a.clientHost === b.clientHost &&
    sameNames(a.subscribedTopicNames, b.subscribedTopicNames) &&
    a.subscribedTopicRegex === b.subscribedTopicRegex &&
    a.rebalanceTimeoutMs === b.rebalanceTimeoutMs &&
    a.serverAssignor === b.serverAssignor &&
    a.classicMemberMetadata === b.classicMemberMetadata
  );
}

/** Equality of everything ConsumerGroupCurrentMemberAssignment persists. */
export function assignmentStateEquals(a: ConsumerMember, b: ConsumerMember): boolean {
  return (
    a.memberEpoch === b.memberEpoch &&
    a.previousMemberEpoch === b.previousMemberEpoch &&
    a.state === b.state &&
    assignmentEquals(a.assignedPartitions, b.assignedPartitions) &&
    assignmentEquals(a.partitionsPendingRevocation, b.partitionsPendingRevocation)
  );
}

export function withMetadataRecord(member: ConsumerMember, v: gcr.ConsumerGroupMemberMetadataValue): ConsumerMember {
  return {
    ...member,
    instanceId: v.instanceId,
    rackId: v.rackId,
    clientId: v.clientId,
    clientHost: v.clientHost,
    subscribedTopicNames: normalizeTopicNames(v.subscribedTopicNames),
    subscribedTopicRegex: v.subscribedTopicRegex,
    rebalanceTimeoutMs: v.rebalanceTimeoutMs,
    serverAssignor: v.serverAssignor,
    classicMemberMetadata: v.classicMemberMetadata,
  };
}

export function withAssignmentRecord(member: ConsumerMember, v: gcr.ConsumerGroupCurrentMemberAssignmentValue): ConsumerMember {
  return {
    ...member,
    memberEpoch: v.memberEpoch,
    previousMemberEpoch: v.previousMemberEpoch,
    state: memberStateFromValue(v.state),
    assignedPartitions: assignmentFromEntries(v.assignedPartitions),
    partitionsPendingRevocation: assignmentFromEntries(v.partitionsPendingRevocation),
  };
}
