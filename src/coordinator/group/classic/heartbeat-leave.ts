/**
 * Heartbeat and LeaveGroup on a classic group. A heartbeat resets the member's session; a leave
 * removes members (v0-2: the one in the request; v3+: a batch, static members also by instance id
 * alone) and moves the rebalance on.
 */
import {
  ErrorCode,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
  type LeaveGroupResponseMemberResponse,
} from '../../../protocol/index.js';
import type { GroupRecord } from '../records.js';
import type { CoordinatorResult } from '../shard-api.js';
import type { ClassicEnv } from './env.js';
import type { ClassicGroup } from './group.js';
import { cancelHeartbeat, maybeCompleteJoinPhase, maybePrepareRebalanceOrCompleteJoin, rescheduleHeartbeat } from './rebalance.js';

export function heartbeatClassicGroup(env: ClassicEnv, group: ClassicGroup, req: HeartbeatRequest): CoordinatorResult<HeartbeatResponse> {
  const answer = (errorCode: number): CoordinatorResult<HeartbeatResponse> => ({ records: [], response: { throttleTimeMs: 0, errorCode } });
  if (group.is('Dead')) return answer(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  const error = group.validateMember(req.memberId, req.groupInstanceId);
  if (error !== ErrorCode.NONE) return answer(error);
  if (req.generationId !== group.generationId) return answer(ErrorCode.ILLEGAL_GENERATION);
  const member = group.members.get(req.memberId)!;
  switch (group.state) {
    case 'PreparingRebalance':
      rescheduleHeartbeat(env, group, member);
      return answer(ErrorCode.REBALANCE_IN_PROGRESS);
    case 'CompletingRebalance':
    case 'Stable':
      // Heartbeats may start right after the JoinGroup answer, before SyncGroup.
      rescheduleHeartbeat(env, group, member);
      return answer(ErrorCode.NONE);
    default:
      return answer(ErrorCode.UNKNOWN_MEMBER_ID);
  }
}

/** The members a LeaveGroup names: v0-2 carry one member id at the top level. */
export function leavingMembers(version: number, req: LeaveGroupRequest): LeaveGroupRequest['members'] {
  return version <= 2 ? [{ memberId: req.memberId, groupInstanceId: null, reason: null }] : req.members;
}

/** v0-2 have no per-member results: the member's error becomes the top-level one. */
export function leaveResponse(version: number, errorCode: number, members: LeaveGroupResponseMemberResponse[]): LeaveGroupResponse {
  if (version <= 2) {
    const memberError = members.find((m) => m.errorCode !== ErrorCode.NONE)?.errorCode ?? ErrorCode.NONE;
    return { throttleTimeMs: 0, errorCode: errorCode !== ErrorCode.NONE ? errorCode : memberError, members: [] };
  }
  return { throttleTimeMs: 0, errorCode, members };
}

export function leaveClassicGroup(env: ClassicEnv, group: ClassicGroup, version: number, req: LeaveGroupRequest): CoordinatorResult<LeaveGroupResponse> {
  if (group.is('Dead')) return { records: [], response: leaveResponse(version, ErrorCode.COORDINATOR_NOT_AVAILABLE, []) };
  const results: LeaveGroupResponseMemberResponse[] = [];
  let removed = 0;
  for (const m of leavingMembers(version, req)) {
    const result = (errorCode: number): void => {
      results.push({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode });
      if (errorCode === ErrorCode.NONE) removed++;
    };
    if (m.memberId === '') {
      // An admin removes a static member by its instance id alone.
      const staticId = m.groupInstanceId !== null ? group.staticMemberId(m.groupInstanceId) : undefined;
      if (staticId === undefined) {
        result(ErrorCode.UNKNOWN_MEMBER_ID);
      } else {
        removeMember(env, group, staticId);
        result(ErrorCode.NONE);
      }
    } else if (group.pendingJoinMembers.has(m.memberId)) {
      group.remove(m.memberId);
      cancelHeartbeat(env, group, m.memberId);
      result(ErrorCode.NONE);
    } else {
      const error = group.validateMember(m.memberId, m.groupInstanceId);
      if (error === ErrorCode.NONE) removeMember(env, group, m.memberId);
      result(error);
    }
  }
  let records: GroupRecord[] = [];
  if (removed > 0) {
    if (group.is('Stable') || group.is('CompletingRebalance')) records = maybePrepareRebalanceOrCompleteJoin(env, group);
    else if (group.is('PreparingRebalance')) records = maybeCompleteJoinPhase(env, group);
  }
  return { records, response: leaveResponse(version, ErrorCode.NONE, results) };
}

function removeMember(env: ClassicEnv, group: ClassicGroup, memberId: string): void {
  const member = group.members.get(memberId)!;
  cancelHeartbeat(env, group, memberId);
  // A JoinGroup still parked for this member is told to rejoin.
  group.completeJoin(member, { memberId: '', errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
  group.remove(memberId);
}
