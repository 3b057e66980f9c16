/**
 * Moves one member's current assignment toward its target (Kafka's CurrentAssignmentBuilder).
 *
 * - STABLE at an older epoch: compute the next step toward the target.
 * - UNREVOKED_PARTITIONS: wait until the member's heartbeat no longer lists any partition pending
 *   revocation; then it moves to the next epoch and reconciles again.
 * - UNRELEASED_PARTITIONS: partitions of the target still owned by others are handed over as
 *   soon as their owners release them.
 *
 * The next step keeps the partitions in both current and target. Partitions no longer targeted
 * must be revoked first: if the member still owns any of them it stays at its epoch in
 * UNREVOKED_PARTITIONS. Otherwise it takes the target epoch and every targeted partition nobody
 * owns; the rest wait (UNRELEASED_PARTITIONS). A partition is never given while another member
 * owns it.
 */
import type { Uuid } from '../../../protocol/index.js';
import { type Assignment, AssignmentBuilder, entriesIntersect } from './assignment.js';
import { type ConsumerMember, MemberState } from './member.js';

type OwnedPartitions = readonly { readonly topicId: Uuid; readonly partitions: readonly number[] }[] | null;

export interface ReconcileInput {
  readonly targetAssignmentEpoch: number;
  readonly targetAssignment: Assignment;
  /** The epoch at which a partition is owned, or -1 when free. */
  readonly currentPartitionEpoch: (topicId: Uuid, partition: number) => number;
  /** The partitions the member reported owning in this heartbeat, or null when not reported. */
  readonly ownedTopicPartitions: OwnedPartitions;
}

/** Thrown for a member in a state this coordinator does not know that still claims partitions. */
export class UnknownMemberStateError extends Error {}

export function reconcile(member: ConsumerMember, input: ReconcileInput): ConsumerMember {
  switch (member.state) {
    case MemberState.STABLE:
      if (member.memberEpoch === input.targetAssignmentEpoch) return member;
      return nextAssignment(member, member.memberEpoch, input);
    case MemberState.UNREVOKED_PARTITIONS:
      if (entriesIntersect(input.ownedTopicPartitions, member.partitionsPendingRevocation)) return member;
      return nextAssignment(member, member.memberEpoch + 1, input);
    case MemberState.UNRELEASED_PARTITIONS:
      return nextAssignment(member, member.memberEpoch, input);
    default:
      if (input.ownedTopicPartitions === null || input.ownedTopicPartitions.length > 0) {
        throw new UnknownMemberStateError('The consumer group member is in a unknown state. The member must abandon all its partitions and rejoin.');
      }
      return nextAssignment(member, input.targetAssignmentEpoch, input);
  }
}

function withState(member: ConsumerMember, state: MemberState, epoch: number, assigned: Assignment, revoking: Assignment): ConsumerMember {
  return {
    ...member,
    state,
    previousMemberEpoch: member.memberEpoch,
    memberEpoch: epoch,
    assignedPartitions: assigned,
    partitionsPendingRevocation: revoking,
  };
}

function nextAssignment(member: ConsumerMember, memberEpoch: number, input: ReconcileInput): ConsumerMember {
  const kept = new AssignmentBuilder();
  const revoking = new AssignmentBuilder();
  const adding = new AssignmentBuilder();
  let unreleased = false;

  const current = member.assignedPartitions;
  const target = input.targetAssignment;
  for (const [topicId, partitions] of current) {
    const targeted = target.get(topicId);
    for (const p of partitions) {
      if (targeted?.has(p)) kept.add(topicId, p);
      else revoking.add(topicId, p);
    }
  }
  for (const [topicId, partitions] of target) {
    const owned = current.get(topicId);
    for (const p of partitions) {
      if (owned?.has(p)) continue;
      if (input.currentPartitionEpoch(topicId, p) !== -1) unreleased = true;
      else adding.add(topicId, p);
    }
  }

  const revokingAssignment = revoking.build();
  if (revokingAssignment.size > 0 && entriesIntersect(input.ownedTopicPartitions, revokingAssignment)) {
    return withState(member, MemberState.UNREVOKED_PARTITIONS, memberEpoch, kept.build(), revokingAssignment);
  }
  const assigned = kept.addAll(adding.build()).build();
  const state = unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE;
  return withState(member, state, input.targetAssignmentEpoch, assigned, new Map());
}
