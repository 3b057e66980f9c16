/**
 * ConsumerGroupHeartbeat (Kafka's GroupMetadataManager.consumerGroupHeartbeat): validate, then
 *
 * 1. create or update the member; a changed subscription, or changed metadata of the subscribed
 *    topics, bumps the group epoch;
 * 2. when the group epoch is ahead of the assignment epoch, compute a new target assignment;
 * 3. move the member's current assignment one step toward its target.
 *
 * Every check that can fail runs before the first record is written.
 */
import { type ConsumerGroupHeartbeatRequest, type ConsumerGroupHeartbeatResponse, ErrorCode } from '../../../protocol/index.js';
import type { CoordinatorResult, RequestContext } from '../shard-api.js';
import { assignmentEquals, assignmentToEntries, EMPTY_ASSIGNMENT } from './assignment.js';
import { type ConsumerGroupsContext, RecordSink } from './context.js';
import { GroupApiError } from './errors.js';
import { cancelRebalanceTimeout, cancelTimers, scheduleRebalanceTimeout, scheduleSessionTimeout } from './fencing.js';
import type { ConsumerGroup } from './group.js';
import { leaveGroup } from './leave.js';
import {
  type ConsumerMember,
  isReconciledTo,
  LEAVE_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  MemberState,
  assignmentStateEquals,
  metadataEquals,
  normalizeTopicNames,
  subscriptionChanged,
} from './member.js';
import { groupForHeartbeat, newMemberId, resolveMember, throwIfGroupIsFull } from './member-lookup.js';
import { reconcile } from './reconcile.js';
import {
  currentAssignmentRecord,
  groupEpochRecord,
  memberMetadataRecord,
  memberTombstones,
  subscriptionMetadataRecord,
  targetAssignmentRecord,
} from './record-builders.js';
import { computeSubscriptionMetadata, subscriptionMetadataEquals } from './subscriptions.js';
import { updateTargetAssignment } from './target-assignment.js';
import { validateHeartbeatRequest, validateRegex } from './validation.js';

type HeartbeatResult = CoordinatorResult<ConsumerGroupHeartbeatResponse>;

export function errorResponse(errorCode: number, errorMessage: string | null): ConsumerGroupHeartbeatResponse {
  return { throttleTimeMs: 0, errorCode, errorMessage, memberId: null, memberEpoch: 0, heartbeatIntervalMs: 0, assignment: null };
}

export function consumerGroupHeartbeat(ctx: ConsumerGroupsContext, rc: RequestContext, req: ConsumerGroupHeartbeatRequest): HeartbeatResult {
  try {
    validateHeartbeatRequest(req, rc.apiVersion, ctx.assignorNames);
    if (req.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH || req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) return leaveGroup(ctx, req);
    return joinOrHeartbeat(ctx, rc, req);
  } catch (e) {
    if (e instanceof GroupApiError) return { records: [], response: errorResponse(e.errorCode, e.message) };
    throw e;
  }
}

function applyRequest(member: ConsumerMember, req: ConsumerGroupHeartbeatRequest, rc: RequestContext): ConsumerMember {
  return {
    ...member,
    instanceId: req.instanceId ?? member.instanceId,
    rackId: req.rackId ?? member.rackId,
    rebalanceTimeoutMs: req.rebalanceTimeoutMs === -1 ? member.rebalanceTimeoutMs : req.rebalanceTimeoutMs,
    serverAssignor: req.serverAssignor ?? member.serverAssignor,
    subscribedTopicNames: req.subscribedTopicNames === null ? member.subscribedTopicNames : normalizeTopicNames(req.subscribedTopicNames),
    subscribedTopicRegex: req.subscribedTopicRegex ?? member.subscribedTopicRegex,
    clientId: rc.clientId,
    clientHost: rc.clientHost,
    classicMemberMetadata: null,
  };
}

/** The records that hand a departed static member's place (and partitions) to its successor. */
function replaceStaticMember(ctx: ConsumerGroupsContext, group: ConsumerGroup, old: ConsumerMember, successor: ConsumerMember, sink: RecordSink): void {
  const target = group.targetAssignment.get(old.memberId) ?? EMPTY_ASSIGNMENT;
  for (const record of memberTombstones(group.groupId, old.memberId)) sink.add(record);
  sink.add(memberMetadataRecord(group.groupId, successor));
  sink.add(targetAssignmentRecord(group.groupId, successor.memberId, target));
  sink.add(currentAssignmentRecord(group.groupId, successor));
  if (old.memberId !== successor.memberId) cancelTimers(ctx, group.groupId, old.memberId);
}

function joinOrHeartbeat(ctx: ConsumerGroupsContext, rc: RequestContext, req: ConsumerGroupHeartbeatRequest): HeartbeatResult {
  const groupId = req.groupId;
  const image = ctx.options.metadata();
  const existing = groupForHeartbeat(ctx, groupId, req.memberEpoch === 0);
  throwIfGroupIsFull(ctx, existing, req.memberId);
  const memberId = req.memberId === '' ? newMemberId(ctx.options.random) : req.memberId;
  const { member, replaced } = resolveMember(existing, memberId, req);
  if (member.state === MemberState.UNKNOWN && (req.topicPartitions === null || req.topicPartitions.length > 0)) {
    throw new GroupApiError(ErrorCode.FENCED_MEMBER_EPOCH, 'The consumer group member is in a unknown state. The member must abandon all its partitions and rejoin.');
  }
  if (req.subscribedTopicRegex !== member.subscribedTopicRegex) validateRegex(req.subscribedTopicRegex);

  // Nothing fails from here on: records are written (and applied) as they are made.
  const sink = new RecordSink(ctx.groups);
  if (replaced && existing) replaceStaticMember(ctx, existing, replaced, member, sink);

  // 1. The member and the group epoch.
  const updated = applyRequest(member, req, rc);
  let bumpGroupEpoch = false;
  if (!metadataEquals(updated, member) || !ctx.groups.get(groupId)?.members.has(memberId)) {
    sink.add(memberMetadataRecord(groupId, updated));
    bumpGroupEpoch = subscriptionChanged(member, updated);
  }
  const group = ctx.groups.get(groupId)!;
  if (bumpGroupEpoch || group.checkedImage !== image) {
    const metadata = computeSubscriptionMetadata(group, image);
    group.checkedImage = image;
    if (!subscriptionMetadataEquals(metadata, group.subscriptionMetadata)) {
      sink.add(subscriptionMetadataRecord(groupId, metadata));
      bumpGroupEpoch = true;
    }
    if (bumpGroupEpoch) sink.add(groupEpochRecord(groupId, group.groupEpoch + 1));
  }

  // 2. The target assignment.
  if (group.groupEpoch > group.assignmentEpoch) updateTargetAssignment(ctx, group, image, sink);

  // 3. The member's current assignment.
  const reconciled = maybeReconcile(ctx, group, group.members.get(memberId)!, req.topicPartitions, sink);
  scheduleSessionTimeout(ctx, groupId, memberId);

  const fullRequest = req.memberEpoch === 0 ||
    (req.rebalanceTimeoutMs !== -1 && (req.subscribedTopicNames !== null || req.subscribedTopicRegex !== null) && req.topicPartitions !== null);
  const changed = !assignmentEquals(member.assignedPartitions, reconciled.assignedPartitions);
  return {
    records: sink.records,
    response: {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      memberId,
      memberEpoch: reconciled.memberEpoch,
      heartbeatIntervalMs: ctx.options.config.consumerGroupHeartbeatIntervalMs,
      assignment: fullRequest || changed ? { topicPartitions: assignmentToEntries(reconciled.assignedPartitions) } : null,
    },
  };
}

function maybeReconcile(
  ctx: ConsumerGroupsContext,
  group: ConsumerGroup,
  member: ConsumerMember,
  owned: ConsumerGroupHeartbeatRequest['topicPartitions'],
  sink: RecordSink,
): ConsumerMember {
  if (isReconciledTo(member, group.assignmentEpoch)) return member;
  const next = reconcile(member, {
    targetAssignmentEpoch: group.assignmentEpoch,
    targetAssignment: group.targetAssignment.get(member.memberId) ?? EMPTY_ASSIGNMENT,
    currentPartitionEpoch: (topicId, partition) => group.currentPartitionEpoch(topicId, partition),
    ownedTopicPartitions: owned,
  });
  if (!assignmentStateEquals(next, member)) {
    sink.add(currentAssignmentRecord(group.groupId, next));
    if (next.state === MemberState.UNREVOKED_PARTITIONS) {
      scheduleRebalanceTimeout(ctx, group.groupId, next.memberId, next.memberEpoch, next.rebalanceTimeoutMs);
    } else {
      cancelRebalanceTimeout(ctx, group.groupId, next.memberId);
    }
  }
  return next;
}
