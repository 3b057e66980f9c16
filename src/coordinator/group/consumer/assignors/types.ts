/**
 * The server-side assignor interface (Kafka's ConsumerGroupPartitionAssignor): from each member's
 * subscription and current target assignment, and each subscribed topic's partition count, a new
 * target assignment for every member. Assignors are pure and deterministic.
 */
import type { Uuid } from '../../../../protocol/index.js';
import type { Assignment } from '../assignment.js';

export interface AssignmentMemberSpec {
  readonly memberId: string;
  readonly instanceId: string | null;
  readonly rackId: string | null;
  readonly subscribedTopicIds: ReadonlySet<Uuid>;
  /** The member's target assignment so far (what stickiness keeps). */
  readonly currentAssignment: Assignment;
}

export interface AssignmentGroupSpec {
  readonly members: readonly AssignmentMemberSpec[];
  /** Partition count by topic id; subscribed topics missing here are not assigned. */
  readonly topics: ReadonlyMap<Uuid, number>;
}

export interface PartitionAssignor {
  readonly name: string;
  /** One entry per member of the spec (empty assignments included). */
  assign(spec: AssignmentGroupSpec): Map<string, Assignment>;
}

/** Members in a stable order: by member id. */
export function sortedMembers(spec: AssignmentGroupSpec): AssignmentMemberSpec[] {
  return [...spec.members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
}

/** The subscribed topics of a member that exist, sorted by id. */
export function existingTopics(member: AssignmentMemberSpec, topics: ReadonlyMap<Uuid, number>): Uuid[] {
  return [...member.subscribedTopicIds].filter((t) => (topics.get(t) ?? 0) > 0).sort();
}
