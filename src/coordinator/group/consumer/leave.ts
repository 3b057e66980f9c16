/**
 * A heartbeat with epoch -1 (leave) or -2 (a static member leaving for a while). A leaving member
 * is removed at once. A static member leaving with -2 keeps its place and partitions (its epoch
 * becomes -2) until it rejoins under a new member id with the same instance id, or its session
 * expires.
 */
import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from '../../../protocol/index.js';
import type { CoordinatorResult } from '../shard-api.js';
import { EMPTY_ASSIGNMENT } from './assignment.js';
import { type ConsumerGroupsContext, RecordSink } from './context.js';
import { unknownMember } from './errors.js';
import { fenceMember } from './fencing.js';
import { LEAVE_GROUP_STATIC_MEMBER_EPOCH } from './member.js';
import { existingGroup, throwIfInstanceIdIsFenced, unknownInstance } from './member-lookup.js';
import { currentAssignmentRecord } from './record-builders.js';

function response(memberId: string, memberEpoch: number): ConsumerGroupHeartbeatResponse {
  return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, memberId, memberEpoch, heartbeatIntervalMs: 0, assignment: null };
}

export function leaveGroup(ctx: ConsumerGroupsContext, req: ConsumerGroupHeartbeatRequest): CoordinatorResult<ConsumerGroupHeartbeatResponse> {
  const group = existingGroup(ctx, req.groupId);
  const sink = new RecordSink(ctx.groups);
  if (req.instanceId === null) {
    if (!group.members.has(req.memberId)) throw unknownMember(req.groupId, req.memberId);
    fenceMember(ctx, group, req.memberId, sink);
    return { records: sink.records, response: response(req.memberId, req.memberEpoch) };
  }

  const member = group.staticMember(req.instanceId);
  if (!member) throw unknownInstance(req.instanceId);
  throwIfInstanceIdIsFenced(member, req.memberId, req.instanceId);
  if (req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    const departed = { ...member, memberEpoch: LEAVE_GROUP_STATIC_MEMBER_EPOCH, partitionsPendingRevocation: EMPTY_ASSIGNMENT };
    sink.add(currentAssignmentRecord(group.groupId, departed));
    return { records: sink.records, response: response(member.memberId, LEAVE_GROUP_STATIC_MEMBER_EPOCH) };
  }
  fenceMember(ctx, group, member.memberId, sink);
  return { records: sink.records, response: response(req.memberId, req.memberEpoch) };
}
