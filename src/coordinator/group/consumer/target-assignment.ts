/**
 * Computing a new target assignment when the group epoch moved past the assignment epoch
 * (Kafka's TargetAssignmentBuilder): the preferred server assignor runs over every member's
 * subscription and previous target, and only the members whose target changed get a new
 * ConsumerGroupTargetAssignmentMember record; the ConsumerGroupTargetAssignmentMetadata record
 * then moves the assignment epoch to the group epoch.
 */
import type { MetadataImage } from '../../../metadata/index.js';
import type { Uuid } from '../../../protocol/index.js';
import { assignmentEquals, EMPTY_ASSIGNMENT } from './assignment.js';
import type { AssignmentMemberSpec } from './assignors/index.js';
import type { ConsumerGroupsContext, RecordSink } from './context.js';
import type { ConsumerGroup } from './group.js';
import { targetAssignmentEpochRecord, targetAssignmentRecord } from './record-builders.js';
import { memberTopicIds } from './subscriptions.js';

/** The assignor the group uses: the one most members ask for, else the configured default. */
export function groupAssignorName(ctx: ConsumerGroupsContext, group: ConsumerGroup): string {
  const preferred = group.preferredAssignor(ctx.assignorNames);
  return preferred !== undefined && ctx.assignors.has(preferred) ? preferred : ctx.assignorNames[0]!;
}

export function updateTargetAssignment(ctx: ConsumerGroupsContext, group: ConsumerGroup, image: MetadataImage, sink: RecordSink): void {
  const assignor = ctx.assignors.get(groupAssignorName(ctx, group))!;
  const members: AssignmentMemberSpec[] = [...group.members.values()]
    .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
    .map((m) => ({
      memberId: m.memberId,
      instanceId: m.instanceId,
      rackId: m.rackId,
      subscribedTopicIds: memberTopicIds(m, group.subscriptionMetadata, image),
      currentAssignment: group.targetAssignment.get(m.memberId) ?? EMPTY_ASSIGNMENT,
    }));
  const topics = new Map<Uuid, number>();
  for (const t of group.subscriptionMetadata.values()) topics.set(t.topicId, t.numPartitions);

  const result = assignor.assign({ members, topics });
  for (const m of members) {
    const next = result.get(m.memberId) ?? EMPTY_ASSIGNMENT;
    const previous = group.targetAssignment.get(m.memberId);
    if (previous === undefined || !assignmentEquals(previous, next)) {
      sink.add(targetAssignmentRecord(group.groupId, m.memberId, next));
    }
  }
  sink.add(targetAssignmentEpochRecord(group.groupId, group.groupEpoch));
}
